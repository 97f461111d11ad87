#!/usr/bin/env bash
# Copies the pinned front-end libraries (package.json + package-lock.json) out of the npm
# registry into the repository: htmx for the site, jsQR for the scanner, qrcode-generator for the
# rotating QR codes, axe-core for the browser tests only.
# Run it after changing a version in package.json; commit what it copies.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund --ignore-scripts
install -D -m 644 node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
install -D -m 644 node_modules/htmx.org/LICENSE static/vendor/htmx/LICENSE
install -D -m 644 node_modules/jsqr/dist/jsQR.js static/vendor/jsqr/jsQR.js
install -D -m 644 node_modules/jsqr/LICENSE static/vendor/jsqr/LICENSE
# Its licence (MIT) is in the file's own header: the package ships no LICENSE file.
install -D -m 644 node_modules/qrcode-generator/dist/qrcode.js static/vendor/qrcode-generator/qrcode.js
# Without their source-map comments: the maps are not shipped (collectstatic would look for them).
mkdir -p static/vendor/swagger-ui
sed '/sourceMappingURL=/d' node_modules/swagger-ui-dist/swagger-ui-bundle.js > static/vendor/swagger-ui/swagger-ui-bundle.js
sed 's#/\*\# sourceMappingURL=[^*]*\*/##' node_modules/swagger-ui-dist/swagger-ui.css > static/vendor/swagger-ui/swagger-ui.css
install -D -m 644 node_modules/swagger-ui-dist/LICENSE static/vendor/swagger-ui/LICENSE
install -D -m 644 node_modules/axe-core/axe.min.js tests/e2e/vendor/axe.min.js
install -D -m 644 node_modules/axe-core/LICENSE tests/e2e/vendor/LICENSE-axe-core
echo "Vendored: htmx $(node -p 'require("htmx.org/package.json").version'), jsQR $(node -p 'require("jsqr/package.json").version'), qrcode-generator $(node -p 'require("./node_modules/qrcode-generator/package.json").version'), axe-core $(node -p 'require("axe-core/package.json").version')"
