// Validate JSON files against a JSON Schema (Draft 2020-12) with Ajv, as a second opinion on setsafety's schemas.
//
//   node tests/interop/ajv_validate.mjs SCHEMA FILE...
//
// Ajv and ajv-formats are loaded from the node_modules folder named by SETSAFETY_AJV_DIR
// (default: .ci-node/node_modules, where .ci/run installs them). Prints one JSON line per file:
//   {"file": FILE, "valid": true|false, "errors": [{"pointer": "/custody/0", "keyword": "required", "message": "..."}]}
// or, for a file that is not JSON, {"file": FILE, "valid": false, "parse_error": "..."}.
// Exit status: 0 if every file is valid, 1 if any is not, 2 on a usage error or a schema Ajv refuses.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  process.stderr.write("usage: node ajv_validate.mjs SCHEMA FILE...\n");
  process.exit(2);
}
const modules = path.resolve(process.env.SETSAFETY_AJV_DIR || ".ci-node/node_modules");
const require = createRequire(path.join(modules, "setsafety-interop.js"));
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

// Strict: no unknown keyword or format, no type Ajv cannot account for. Only strictRequired is off: it wants
// every name in an if/then "required" defined again in that subschema's own "properties".
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
} catch (error) {
  process.stderr.write(`${schemaPath}: Ajv refuses the schema: ${error.message}\n`);
  process.exit(2);
}

let allValid = true;
for (const file of files) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    allValid = false;
    process.stdout.write(JSON.stringify({ file, valid: false, parse_error: error.message }) + "\n");
    continue;
  }
  const valid = validate(data);
  allValid &&= valid;
  const errors = (validate.errors || []).map((error) => ({
    pointer: error.instancePath, keyword: error.keyword, message: error.message,
  }));
  process.stdout.write(JSON.stringify({ file, valid, errors }) + "\n");
}
process.exit(allValid ? 0 : 1);
