// An input file named on the command line, read whole; when it cannot be, an error that names the file (and what
// it was meant to be) and says why in words.
import fs from 'node:fs';

export function readTextFile(file: string, what = ''): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new Error(`${what ? `${what} ` : ''}${file}: ${why}`, { cause: error });
  }
}
