#!/bin/sh
# Installs (or reinstalls) the batchvideo command from this repository as a global .NET tool.
set -eu
cd "$(dirname "$0")"
dotnet pack src/BatchVideo.Cli -c Release -v q -o artifacts
dotnet tool uninstall --global BatchVideo.Cli >/dev/null 2>&1 || true
dotnet tool install --global --add-source ./artifacts --ignore-failed-sources BatchVideo.Cli
case ":$PATH:" in
  *":$HOME/.dotnet/tools:"*) ;;
  *) echo "Add the .NET tools folder to your PATH: export PATH=\"\$PATH:\$HOME/.dotnet/tools\"" ;;
esac
