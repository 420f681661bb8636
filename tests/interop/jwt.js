#!/usr/bin/env node
// Interop oracle: the independent npm `atlassian-jwt` package, driven from Rust tests
// (crates/orgwarden-connect/tests/interop.rs). Every subcommand prints one line of output and
// exits non-zero on failure. Run `npm ci --prefix tests/interop` first.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const jwt = require('atlassian-jwt');

const usage = `usage:
  jwt.js verify-outgoing <token> <secret> <method> <url-path-with-query>
  jwt.js verify-rs256 <token> <public-pem-path>
  jwt.js mint-hs256 <json-claims> <secret>
  jwt.js mint-rs256 <json-claims> <kid> <private-pem-path>
  jwt.js gen-rsa-keypair <out-dir>
  jwt.js qsh <method> <url>`;

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const commands = {
  // Verifies an app → product token as Jira would: signature, then qsh over the request.
  'verify-outgoing': (token, secret, method, url) => {
    const claims = jwt.decodeSymmetric(token, secret, jwt.SymmetricAlgorithm.HS256);
    const request = jwt.fromMethodAndUrl(method, url);
    const qsh = jwt.createQueryStringHash(request, false, '');
    if (claims.qsh !== qsh) fail(`qsh mismatch: token ${claims.qsh}, request ${qsh}`);
    return JSON.stringify({ ok: true, claims, qsh });
  },
  'verify-rs256': (token, publicPemPath) => {
    const pem = fs.readFileSync(publicPemPath, 'utf8');
    const claims = jwt.decodeAsymmetric(token, pem, jwt.AsymmetricAlgorithm.RS256);
    return JSON.stringify({ ok: true, kid: jwt.getKeyId(token), claims });
  },
  'mint-hs256': (claimsJson, secret) =>
    jwt.encodeSymmetric(JSON.parse(claimsJson), secret, jwt.SymmetricAlgorithm.HS256),
  'mint-rs256': (claimsJson, kid, privatePemPath) => {
    const pem = fs.readFileSync(privatePemPath, 'utf8');
    return jwt.encodeAsymmetric(JSON.parse(claimsJson), pem, jwt.AsymmetricAlgorithm.RS256, { kid });
  },
  'gen-rsa-keypair': (outDir) => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const privatePath = path.join(outDir, 'private.pem');
    const publicPath = path.join(outDir, 'public.pem');
    fs.writeFileSync(privatePath, privateKey, { mode: 0o600 });
    fs.writeFileSync(publicPath, publicKey);
    return JSON.stringify({ private: privatePath, public: publicPath });
  },
  qsh: (method, url) => {
    const request = jwt.fromMethodAndUrl(method, url);
    return JSON.stringify({
      canonical: jwt.createCanonicalRequest(request, false, ''),
      qsh: jwt.createQueryStringHash(request, false, ''),
    });
  },
};

const [name, ...args] = process.argv.slice(2);
const command = commands[name];
if (!command || args.length !== command.length) fail(usage);
try {
  process.stdout.write(`${command(...args)}\n`);
} catch (error) {
  fail(`${name} failed: ${error.message}`);
}
