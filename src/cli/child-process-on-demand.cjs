// commander requires node:child_process when it loads, for subcommands that
// are separate executables; urp has none. Loading it costs about 5 ms of every
// start-up, so the bundle gets this instead (the bundle script in
// package.json), which loads the real module only when a function is called.
'use strict';

for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  module.exports[name] = (...args) => require('child_process')[name](...args);
}
