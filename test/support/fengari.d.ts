/** The part of fengari's API (a Lua VM in JavaScript, CommonJS, no types shipped) that lua.ts calls. */
declare module 'fengari' {
  interface Fengari {
    lua: {
      LUA_OK: number;
      lua_pcall: (L: unknown, nargs: number, nresults: number, msgh: number) => number;
      lua_tojsstring: (L: unknown, index: number) => string;
    };
    lauxlib: { luaL_newstate: () => unknown; luaL_loadstring: (L: unknown, source: Uint8Array) => number };
    lualib: { luaL_openlibs: (L: unknown) => void };
    to_luastring: (text: string) => Uint8Array;
  }
  const fengari: Fengari;
  export default fengari;
}
