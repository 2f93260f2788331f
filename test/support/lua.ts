/**
 * A Lua interpreter for the Argo CD health check. Argo CD runs health scripts in gopher-lua (Lua 5.1),
 * so the real `lua5.1` is used where it is on PATH; otherwise fengari, a Lua VM written in JavaScript
 * (Lua 5.3, a superset for what a health script uses), so that `npm test` passes on a fresh machine.
 * With `CI=true` a missing `lua5.1` is an error: CI installs it and must test against the real thing.
 */
import { execFileSync } from 'node:child_process';

export interface LuaRunner {
  /** Which interpreter runs the scripts, for test names and output. */
  name: string;
  /** Runs `chunk` (Lua source whose last statement returns a string) and returns that string. */
  run(chunk: string): string;
}

function hasLua51(): boolean {
  try {
    execFileSync('lua5.1', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const systemLua: LuaRunner = {
  name: 'real Lua 5.1 (lua5.1)',
  run: (chunk) =>
    execFileSync('lua5.1', ['-e', `io.write((function() ${chunk} end)())`], { encoding: 'utf8' }),
};

async function fengariLua(): Promise<LuaRunner> {
  const { lua, lauxlib, lualib, to_luastring } = (await import('fengari')).default;
  return {
    name: 'fengari (Lua in JavaScript; lua5.1 is not installed)',
    run(chunk) {
      const L = lauxlib.luaL_newstate();
      lualib.luaL_openlibs(L);
      if (
        lauxlib.luaL_loadstring(L, to_luastring(chunk)) !== lua.LUA_OK ||
        lua.lua_pcall(L, 0, 1, 0) !== lua.LUA_OK
      ) {
        throw new Error(`Lua error: ${lua.lua_tojsstring(L, -1)}`);
      }
      return lua.lua_tojsstring(L, -1);
    },
  };
}

/** The real `lua5.1` when present, else fengari; under `CI=true` a missing `lua5.1` throws. */
export async function luaRunner(env: NodeJS.ProcessEnv = process.env): Promise<LuaRunner> {
  if (hasLua51()) return systemLua;
  if (env.CI === 'true')
    throw new Error('CI=true but lua5.1 is not on PATH: .ci/run installs it (apt-get install lua5.1)');
  return await fengariLua();
}
