# Sourced by every script here: build tools stay off the network except for the package registries.
#  - turbo sends anonymous usage telemetry unless told not to (TURBO_TELEMETRY_DISABLED; DO_NOT_TRACK is the
#    cross-tool convention several other tools honour too);
#  - npm and pnpm look for a newer version of themselves after a command (the registry, but not needed);
#  - better-sqlite3's installer first tries to download a prebuilt addon from GitHub; building from source (as it
#    does here anyway when that download fails) needs no download at all.
export TURBO_TELEMETRY_DISABLED=1
export DO_NOT_TRACK=1
export NPM_CONFIG_UPDATE_NOTIFIER=false
export npm_config_build_from_source=true
