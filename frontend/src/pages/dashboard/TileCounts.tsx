function percent(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}

interface TileCountsProps {
  active: number;
  inactive: number;
  total: number;
}

/** A tile's inactive and active counts and the bar that shows their shares of the total. */
export function TileCounts({ active, inactive, total }: TileCountsProps) {
  return (
    <>
      <span className="ow-tile-counts">
        <span>
          <span className="ow-tile-number" data-testid="tile-inactive">
            {inactive.toLocaleString()}
          </span>{' '}
          inactive
        </span>
        <span>
          <span className="ow-tile-number ow-tile-number-active" data-testid="tile-active">
            {active.toLocaleString()}
          </span>{' '}
          active
        </span>
      </span>
      <span className="ow-bar" aria-hidden="true">
        <span className="ow-bar-active" style={{ width: `${percent(active, total)}%` }} />
        <span className="ow-bar-inactive" style={{ width: `${percent(inactive, total)}%` }} />
      </span>
    </>
  );
}
