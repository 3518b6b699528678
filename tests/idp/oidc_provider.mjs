// An OpenID Provider for the tests, on loopback: node-oidc-provider (OpenID Certified).
//
//   node tests/idp/oidc_provider.mjs PORT CONFIG.json
//
// CONFIG.json: {"clients": [{"client_id", "client_secret", "redirect_uris": [...]}],
//               "accounts": {"login": {claims: email, name, given_name, family_name, groups}},
//               "tamper": false}
// Login: GET /interaction/<uid> shows a form with the accounts; POST /interaction/<uid>/login
// with "login" finishes it; consent is granted at once (the client is the municipality's own).
// Groups are released in the ID token as well as from userinfo, like Microsoft Entra ID's
// "groups" claim. With "tamper", the ID token's signature is spoiled at the token endpoint.
import { readFileSync } from 'node:fs';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const config = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const issuer = `http://127.0.0.1:${port}`;
const accounts = config.accounts;

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    ...client,
  })),
  scopes: ['openid', 'email', 'profile', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  conformIdTokenClaims: false,
  cookies: { keys: ['samtal-test-idp-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  pkce: { required: () => false },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...accounts[id] }) };
  },
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile groups');
    await grant.save();
    return grant;
  },
});

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([^/]+)(\/login)?$/);
  if (match) {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (!match[2]) {
      const options = Object.keys(accounts)
        .map((login) => `<option value="${escape(login)}">${escape(login)}</option>`)
        .join('');
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html lang="en"><head><title>Test OP</title></head><body>
<main><h1>Test OpenID Provider: sign in</h1>
<form method="post" action="/interaction/${escape(details.uid)}/login">
<label>User <select name="login">${options}</select></label>
<button type="submit">Sign in</button></form></main></body></html>`;
      return;
    }
    const form = await readForm(ctx.req);
    if (!accounts[form.login]) ctx.throw(400, 'unknown login');
    await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: form.login } }, {
      mergeWithLastSubmission: false,
    });
    return;
  }
  await next();
  if (config.tamper && ctx.path === '/token' && ctx.body && ctx.body.id_token) {
    const [header, payload, signature] = ctx.body.id_token.split('.');
    const spoiled = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    ctx.body = { ...ctx.body, id_token: [header, payload, spoiled].join('.') };
  }
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc provider listening on ${issuer}`);
});
