# syntax=docker/dockerfile:1
# Portal Data Bansos: assets from npm, the binary with cgo (SQLite), and a
# small runtime image that runs as a non-root user.

# 1. Front-end libraries, pinned in package-lock.json, copied by make.
FROM node:20-bookworm AS assets
WORKDIR /src
COPY package.json package-lock.json Makefile ./
RUN make assets

# 2. The binary. go-sqlite3 needs cgo, so build on the same Debian release
#    as the runtime image to share its glibc.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
COPY --from=assets /src/public/static/vendor public/static/vendor
RUN CGO_ENABLED=1 go build -trimpath -ldflags="-s -w" -o /out/portal ./cmd/portal

# 3. Runtime.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home portal \
 && mkdir -p /data && chown portal:portal /data && chmod 0750 /data
COPY --from=build /out/portal /usr/local/bin/portal
ENV PORTAL_DATA=/data \
    PORTAL_ADDR=:8080
USER portal:portal
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["/usr/local/bin/portal", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/portal"]
CMD ["serve"]
