// The directory file: the shipped one loads, and mistakes are named by their place in the file.
import fs from 'node:fs';
import path from 'node:path';
import { DirectoryFileError, parseDirectoryFile, type DirectoryFile } from './directory-file';

// Typed as the file's shape so the breakages below can write wrong values on purpose.
const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'config', 'directory.json'), 'utf8')) as DirectoryFile;

test('the shipped demo directory is valid, with one default team and every chain rep known', () => {
  const file = parseDirectoryFile(shipped);
  expect(file.teams.filter((t) => t.isDefault)).toHaveLength(1);
  expect(file.reps.length).toBeGreaterThan(5);
});

test.each([
  [(f: DirectoryFile) => (f.reps[0]!.teamId = 'nowhere'), 'reps.0.teamId: no team nowhere'],
  [(f: DirectoryFile) => (f.teams[0]!.escalation[0]!.repId = 'nobody'), 'teams.0.escalation.0.repId: no rep nobody'],
  [(f: DirectoryFile) => (f.reps[1]!.email = 'not-mail'), 'reps.1.email'],
  [(f: DirectoryFile) => (f.teams[1]!.isDefault = true), 'teams: exactly one team must be the default'],
  [(f: DirectoryFile) => (f.teams[0]!.serviceLines = ['plumbing' as never]), 'teams.0.serviceLines.0'],
  [(f: DirectoryFile) => f.teams.forEach((t) => (t.isDefault = false)), 'teams: exactly one team must be the default'],
])('a broken file is refused naming the place: %#', (breakIt, message) => {
  const copy = structuredClone(shipped);
  breakIt(copy);
  expect(() => parseDirectoryFile(copy)).toThrow(DirectoryFileError);
  expect(() => parseDirectoryFile(copy)).toThrow(message);
});
