# The IdP as an image. Node 24 runs the TypeScript sources directly: no build step. It runs as a non-root user and
# suits a read-only root file system: keys, SP metadata and secrets come from mounted paths, /tmp may be a tmpfs.
#
#   docker build -t nets-sms-idp .
#   docker run --read-only --tmpfs /tmp -p 3000:3000 -e BASE_URL=https://idp.example.com \
#     -v /etc/nets-sms-idp/sp:/etc/nets-sms-idp/sp:ro -v /etc/nets-sms-idp/keys:/etc/nets-sms-idp/keys:ro \
#     -e IDP_KEY_FILE=/etc/nets-sms-idp/keys/idp.key -e IDP_CERT_FILE=/etc/nets-sms-idp/keys/idp.crt \
#     -e IDP_SECRET_FILE=/run/secrets/idp_secret nets-sms-idp

# Any image with Node 24 and npm on Debian; NODE_IMAGE names another (a mirror, a pinned digest).
ARG NODE_IMAGE=node:24-bookworm-slim
FROM ${NODE_IMAGE}

WORKDIR /app
COPY package.json package-lock.json ./
# Runtime dependencies only, exactly as locked; the cache is not kept in the image.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY templates ./templates

# Production defaults; every one can be overridden at run time (docs/settings.md).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    SP_METADATA_DIR=/etc/nets-sms-idp/sp \
    DEV_KEY_DIR=/tmp/nets-sms-idp

# uid 1000 is `node` in the official images; numeric, so orchestrators can check it is not root.
USER 1000:1000
EXPOSE 3000
# Liveness without curl in the image (Docker's HEALTHCHECK; orchestrators use their own probes).
HEALTHCHECK --interval=30s --timeout=3s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM reaches node itself (exec form, PID 1): /readyz goes 503, requests in flight finish
# (docs/operations.md "Health probes").
CMD ["node", "src/server.ts"]
