// A source file as text, for tests of what jsdom does not apply: Vitest loads stylesheets as
// empty modules (`css: false`), even with `?raw`. Tests run in Node, whose `fs` reads the file.
interface NodeFs {
  readFileSync(path: string, encoding: 'utf8'): string;
}

/** The text of a file under `src/`, e.g. `sourceFile('styles.css')`. */
export function sourceFile(pathInSrc: string): string {
  const { process } = globalThis as unknown as {
    process: { getBuiltinModule(id: 'node:fs'): NodeFs };
  };
  // This file is src/test/sourceFile.ts (`new URL(…, import.meta.url)` would be Vite's asset URL).
  const src = decodeURIComponent(import.meta.url.replace(/^file:\/\//, '')).replace(
    /test\/sourceFile\.ts$/,
    '',
  );
  return process.getBuiltinModule('node:fs').readFileSync(`${src}${pathInSrc}`, 'utf8');
}
