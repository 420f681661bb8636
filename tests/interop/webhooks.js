#!/usr/bin/env node
// Interop oracle: the independent npm `standardwebhooks` package (the Standard Webhooks
// reference implementation), driven from Rust tests (crates/orgwarden-server/tests/webhooks*.rs).
// Reads one JSON object from stdin: {secret, headers: {webhook-id, webhook-timestamp,
// webhook-signature}, body}; prints the verified payload, or exits 1 with the library's error.
// Run `npm ci --prefix tests/interop` first.
'use strict';

const { Webhook } = require('standardwebhooks');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  try {
    const { secret, headers, body } = JSON.parse(input);
    const payload = new Webhook(secret).verify(body, headers);
    process.stdout.write(`${JSON.stringify({ ok: true, payload })}\n`);
  } catch (error) {
    process.stderr.write(`${error.name}: ${error.message}\n`);
    process.exit(1);
  }
});
