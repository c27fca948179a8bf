// The node_modules a compiled statusgraph runs with on another Node line (benchmark 1's `--node 24`): native addons
// are built for one Node ABI, and the repository's better-sqlite3 (the embedded history store) is built for the
// machine's Node, which another line refuses to load. For another ABI this makes a node_modules of links to the
// repository's packages but for better-sqlite3, a copy rebuilt from source for that line (`npm rebuild`, against the
// headers scripts/node-line's package ships), kept in ~/.cache/statusgraph so it is built once per ABI and version.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, readdir, rm, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The packages holding a native addon that statusgraph loads. */
const NATIVE_PACKAGES = ['better-sqlite3'];
const CACHE = process.env.STATUSGRAPH_NODE_CACHE ? join(process.env.STATUSGRAPH_NODE_CACHE, '..', 'native-modules') : join(homedir(), '.cache', 'statusgraph', 'native-modules');

/** `repositoryNodeModules` itself when `nodeBinary` shares this process's ABI, else a node_modules built for it. */
export async function nodeModulesFor(nodeBinary: string, repositoryNodeModules: string): Promise<string> {
  const abi = spawnSync(nodeBinary, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).stdout.trim();
  if (abi === process.versions.modules) return repositoryNodeModules;
  const versions = NATIVE_PACKAGES.map((name) => `${name}@${packageVersion(repositoryNodeModules, name)}`).join('+');
  const overlay = join(CACHE, `abi${abi}-${versions}`, 'node_modules');
  if (existsSync(join(overlay, '.complete'))) return overlay;
  await rm(dirname(overlay), { recursive: true, force: true });
  await mkdir(overlay, { recursive: true });
  for (const entry of await readdir(repositoryNodeModules)) {
    if (NATIVE_PACKAGES.includes(entry)) await cp(join(repositoryNodeModules, entry), join(overlay, entry), { recursive: true, verbatimSymlinks: true });
    else await symlink(join(repositoryNodeModules, entry), join(overlay, entry));
  }
  const bin = dirname(nodeBinary);
  const rebuild = spawnSync('npm', ['rebuild', ...NATIVE_PACKAGES, '--no-audit', '--no-fund'], {
    cwd: dirname(overlay),
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, npm_config_nodedir: dirname(bin), npm_config_build_from_source: 'true' },
  });
  if (rebuild.status !== 0) throw new Error(`npm rebuild ${NATIVE_PACKAGES.join(' ')} for Node ABI ${abi} failed:\n${rebuild.stdout}${rebuild.stderr}`);
  await mkdir(join(overlay, '.complete'));
  return overlay;
}

function packageVersion(nodeModules: string, name: string): string {
  return (JSON.parse(readFileSync(join(nodeModules, name, 'package.json'), 'utf8')) as { version: string }).version;
}
