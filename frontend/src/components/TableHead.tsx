/** A table's header row: the visible column names, then a last column named for screen readers only. */
export function TableHead({ columns, hidden }: { columns: readonly string[]; hidden?: string }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col">
            {column}
          </th>
        ))}
        {hidden && (
          <th scope="col">
            <span className="ow-visually-hidden">{hidden}</span>
          </th>
        )}
      </tr>
    </thead>
  );
}
