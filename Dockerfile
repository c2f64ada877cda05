# The image docker-compose.yml runs the migrations, the worker and the API from.
FROM node:20-bookworm-slim

WORKDIR /app

# npm runs scripts through /bin/sh (dash), which neither execs the command nor passes SIGTERM on, so
# `docker compose stop` would kill the worker mid-task; bash execs it, and the worker drains before exiting.
RUN npm config set --location=global script-shell /bin/bash

# Dependencies first, so editing the source does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY . .

USER node
