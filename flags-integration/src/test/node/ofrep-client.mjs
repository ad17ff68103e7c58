// OpenFeature's JavaScript server SDK with its OFREP provider, evaluating flags of our OFREP
// server for many users; run by OfrepClientsTest (flags-integration), which compares the answers
// with our Java client's. Usage: node ofrep-client.mjs '<json>' where json is
// {"baseUrl": …, "token": …, "users": n, "flags": [{"key": …, "type": "boolean"|"string"|"number", "default": …}]}
// It prints {"values": {"<flag>": [value of user-0, user-1, …]}, "errors": [...]} on stdout.
const { baseUrl, token } = JSON.parse(process.argv[2]);
const config = JSON.parse(process.argv[2]);

// tag::node[]
import { OpenFeature } from '@openfeature/server-sdk';
import { OFREPProvider } from '@openfeature/ofrep-provider';

await OpenFeature.setProviderAndWait(
  new OFREPProvider({
    baseUrl, // the Java application's root: the provider appends /ofrep/v1/evaluate/flags/...
    headers: [['Authorization', `Bearer ${token}`]], // its flags.ofrep.token
  }),
);
const client = OpenFeature.getClient();
const canary = await client.getBooleanValue('new_checkout', false, {
  targetingKey: 'user-42',
  plan: 'pro',
});
// end::node[]
console.error(`user-42 is ${canary ? '' : 'not '}a canary of new_checkout`);

/** The context of user i: the same attributes the Java side gives it. */
function context(i) {
  return { targetingKey: `user-${i}`, plan: i % 3 === 0 ? 'pro' : 'free', seats: i };
}

async function evaluate(flag, i) {
  switch (flag.type) {
    case 'boolean':
      return client.getBooleanDetails(flag.key, flag.default, context(i));
    case 'string':
      return client.getStringDetails(flag.key, flag.default, context(i));
    case 'number':
      return client.getNumberDetails(flag.key, flag.default, context(i));
    default:
      throw new Error(`unknown type ${flag.type}`);
  }
}

const values = {};
const errors = [];
for (const flag of config.flags) {
  values[flag.key] = [];
  // Fifty requests in flight at a time: quick, and bounded.
  for (let from = 0; from < config.users; from += 50) {
    const batch = [];
    for (let i = from; i < Math.min(from + 50, config.users); i++) {
      batch.push(evaluate(flag, i));
    }
    for (const details of await Promise.all(batch)) {
      if (details.errorCode) {
        errors.push({ flag: flag.key, errorCode: details.errorCode, message: details.errorMessage });
      }
      values[flag.key].push(details.value);
    }
  }
}
process.stdout.write(JSON.stringify({ values, errors }) + '\n');
await OpenFeature.close();
