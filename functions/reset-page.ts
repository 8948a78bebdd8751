/**
 * GET /reset-password?token=…: the page the reset email links to. Small, accessible and
 * self-contained: no external scripts or fonts; the inline script and style are allowed by
 * their hashes in a strict CSP. The token never leaves the page except in the POST body, and
 * is taken out of the address bar at once.
 */
import { createHash } from 'node:crypto';
import { publicHandler } from '../lib/http/middleware.js';
import * as requests from '../lib/requests.js';

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem;border:1px solid #767676;border-radius:4px}
button{margin-top:1.25rem;padding:.6rem 1.2rem;font-size:1rem;border:0;border-radius:4px;background:#0b57d0;color:#fff;cursor:pointer}
button:focus,input:focus{outline:3px solid #f5a623;outline-offset:2px}
#status{margin-top:1rem}.error{color:#b00020}.ok{color:#1e6b30}`;

const SCRIPT = `(function(){
var params=new URLSearchParams(location.search);var token=params.get('token')||'';
if(location.search){history.replaceState(null,'',location.pathname);}
var form=document.getElementById('form');var status=document.getElementById('status');
function say(text,cls){status.textContent=text;status.className=cls;}
if(!token){say('This link is incomplete. Open the link from the email again, or ask for a new one.','error');form.hidden=true;return;}
var messages={INVALID_RESET_TOKEN:'This link is not valid any more: it was already used, has expired or was replaced by a newer one. Ask for a new reset email.',VALIDATION_FAILED:'Please enter a new password.'};
form.addEventListener('submit',function(e){e.preventDefault();
var pw=document.getElementById('password').value;var again=document.getElementById('confirm').value;
if(pw!==again){say('The two passwords are not the same.','error');return;}
var button=form.querySelector('button');button.disabled=true;say('Saving…','');
fetch('/v1/auth/reset-password',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify({token:token,newPassword:pw})})
.then(function(r){if(r.status===204){form.hidden=true;say('Your password has been changed. You can now sign in with it; you were signed out everywhere else.','ok');return;}
return r.json().then(function(b){var code=b&&b.error&&b.error.code;say(messages[code]||(b&&b.error&&b.error.message)||'Something went wrong. Please try again.','error');});})
.catch(function(){say('The service could not be reached. Check your connection and try again.','error');})
.finally(function(){button.disabled=false;});});})();`;

const sha = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

const CSP = [
  "default-src 'none'",
  `script-src ${sha(SCRIPT)}`,
  `style-src ${sha(STYLE)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Choose a new password · Capptro</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Choose a new password</h1>
<form id="form" novalidate>
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" aria-describedby="hint">
<p id="hint">At least 8 characters. Avoid common passwords and your username.</p>
<label for="confirm">Repeat the new password</label>
<input id="confirm" name="confirm" type="password" autocomplete="new-password" required minlength="8">
<button type="submit">Set new password</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
</main>
<script>${SCRIPT}</script>
</body>
</html>`;

export const handler = publicHandler('reset-page', requests.resetPage, async () => ({
  status: 200,
  text: PAGE,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  },
}));
