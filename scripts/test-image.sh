#!/usr/bin/env bash
# Builds the Dockerfile and runs the image without an image registry, on Debian with buildah (root needed):
# the base image stands in for node:24-bookworm-slim, made by debootstrap from Debian packages plus the Node 24
# binary the project's devDependencies bring. Checks that the image starts as uid 1000 with keys, SP metadata and
# the secret from mounted paths, beside Kubernetes service-link variables, and answers /healthz, /readyz, metadata
# and metrics. Takes several minutes (debootstrap); not part of `npm test`.
#
#   sudo apt-get install -y buildah podman debootstrap && sudo scripts/test-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# vfs storage and chroot isolation work where overlay mounts and an OCI runtime's cgroups do not (inside a container).
export BUILDAH_ISOLATION=chroot
buildah() { command buildah --storage-driver vfs "$@"; }
podman() { command podman --storage-driver vfs "$@"; }
work="$(mktemp -d /tmp/nsi-image.XXXXXX)"
ctr=""
cleanup() {
  [ -n "$ctr" ] && buildah rm "$ctr" >/dev/null 2>&1
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if ! buildah inspect --type image localhost/debian-bookworm-minbase >/dev/null 2>&1; then
  debootstrap --variant=minbase bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log"
  tar -C "$work/rootfs" -c . | podman import - localhost/debian-bookworm-minbase >/dev/null
fi

mkdir -p "$work/base"
cp node_modules/node/bin/node "$work/base/node"
cp -r "$(dirname "$(readlink -f "$(command -v npm)")")/.." "$work/base/npm"
# The machine's CA bundle: where the npm registry is reached through a TLS proxy, npm ci needs its CA.
cp /etc/ssl/certs/ca-certificates.crt "$work/base/"
cat >"$work/base/Containerfile" <<'CONTAINERFILE'
FROM localhost/debian-bookworm-minbase
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && groupadd --gid 1000 node && useradd --uid 1000 --gid node --create-home node
CMD ["node"]
CONTAINERFILE
buildah bud --network host --pull-never -t localhost/node24-standin "$work/base" >"$work/base.log"
buildah bud --network host --pull-never --build-arg NODE_IMAGE=localhost/node24-standin \
  -t localhost/nets-sms-idp:test . >"$work/build.log"
echo "built localhost/nets-sms-idp:test"

# What an operator mounts.
mkdir -p "$work/mnt/sp" "$work/mnt/keys"
node_modules/.bin/node --input-type=module -e "
  const { createTestSp, testKeys } = await import('./test/helpers/saml-sp.ts');
  const { writeFileSync } = await import('node:fs');
  const dir = process.argv[1];
  writeFileSync(dir + '/sp/sp.xml', createTestSp().metadataXml);
  const keys = testKeys('image-idp');
  writeFileSync(dir + '/keys/idp.key', keys.privateKeyPem);
  writeFileSync(dir + '/keys/idp.crt', keys.certPem);
  writeFileSync(dir + '/idp_secret', 'image-secret-0123456789-0123456789-abcdef\n');
" "$work/mnt"
chmod -R a+rX "$work/mnt"

port=$((20000 + RANDOM % 20000))
ctr="$(buildah from --pull-never localhost/nets-sms-idp:test)"
[ "$(buildah inspect --type image --format '{{.OCIv1.Config.User}}' localhost/nets-sms-idp:test)" = "1000:1000" ] ||
  { echo "FAIL: the image's user is not 1000:1000"; exit 1; }
buildah run --network host \
  -e HOST=127.0.0.1 -e PORT="$port" -e METRICS_PORT="$((port + 1))" -e BASE_URL=https://idp.image.test \
  -e IDP_KEY_FILE=/etc/nets-sms-idp/keys/idp.key -e IDP_CERT_FILE=/etc/nets-sms-idp/keys/idp.crt \
  -e IDP_SECRET_FILE=/run/secrets/idp_secret -e REDIS_SERVICE_HOST=10.0.0.1 -e REDIS_PORT=tcp://10.0.0.1:6379 \
  -v "$work/mnt/sp:/etc/nets-sms-idp/sp:ro" -v "$work/mnt/keys:/etc/nets-sms-idp/keys:ro" \
  -v "$work/mnt/idp_secret:/run/secrets/idp_secret:ro" \
  "$ctr" -- node src/server.ts >"$work/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.2
done
check() { # path, port, expected status
  local got
  got="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2$1")"
  [ "$got" = "$3" ] || { echo "FAIL $1 on $2: $got, expected $3"; cat "$work/run.log"; exit 1; }
  echo "ok   $1 on $2: $got"
}
check /healthz "$port" 200
check /readyz "$port" 200
check /saml/metadata "$port" 200
check /metrics "$port" 404
check /metrics "$((port + 1))" 200
curl -s "http://127.0.0.1:$port/saml/metadata" | grep -q "$(sed -n 2p "$work/mnt/keys/idp.crt" | cut -c1-40)" ||
  { echo "FAIL: the mounted certificate is not published"; exit 1; }
echo "ok   the mounted certificate is published"
# The IdP process of this run (found by its PORT) runs as the image's user.
uid=""
for p in $(pgrep -f 'node src/server.ts'); do
  if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "PORT=$port"; then uid="$(awk '/^Uid:/ {print $2}' "/proc/$p/status")"; fi
done
[ "$uid" = "1000" ] || { echo "FAIL: the IdP runs as uid '$uid'"; exit 1; }
grep -q '"msg":"nets-sms-idp ready"' "$work/run.log" && ! grep -qE 'EACCES|EROFS|not a setting' "$work/run.log" ||
  { echo "FAIL: start log"; cat "$work/run.log"; exit 1; }
echo "ok   started as uid 1000 beside Kubernetes service-link variables"
