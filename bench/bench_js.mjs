// bench_js.mjs — the JavaScript side of `make bench`: N cw20-base transfers through
// @oraichain/cw-simulate (metered, full app path) and through raw @oraichain/cosmwasm-vm-js
// (one reused instance, metered and unmetered). Prints one JSON object on stdout for bench/bench_transfers.c.
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { CWSimulateApp } = require('@oraichain/cw-simulate');
const vm = require('@oraichain/cosmwasm-vm-js');
const bech32Module = require('bech32'); // v1 exports the codec itself, v2 as .bech32
const bech32 = bech32Module.bech32 ?? bech32Module;

const N = Number(process.argv[2] ?? 1000);
const WASM = process.argv[3] ?? 'node_modules/@oraichain/common-contracts-build/data/cw20-base.wasm';
const wasm = readFileSync(WASM);

// Same account aliases as host-sim: bech32("wasm", sha256(name)[0..20]).
const address = (name) =>
  bech32.encode('wasm', bech32.toWords(createHash('sha256').update(name).digest().subarray(0, 20)));
const alice = address('alice');
const bob = address('bob');
const initMsg = {
  name: 'Bench Token', symbol: 'BNCH', decimals: 6,
  initial_balances: [{ address: alice, amount: '1000000000000' }],
  mint: null, marketing: null,
};
const transfer = { transfer: { recipient: bob, amount: '1' } };
const WARMUP = Math.min(100, N);
const now = () => Number(process.hrtime.bigint()) / 1e3; // µs

async function benchCwSimulate() {
  const app = new CWSimulateApp({
    chainId: 'ballast-local', bech32Prefix: 'wasm', metering: true, gasLimit: Number.MAX_SAFE_INTEGER,
  });
  const codeId = app.wasm.create(alice, new Uint8Array(wasm));
  const init = await app.wasm.instantiateContract(alice, [], codeId, initMsg, 'bench');
  if (init.err) throw new Error(`cw-simulate instantiate: ${init.val}`);
  const contract = init.val.events
    .flatMap((e) => e.attributes).find((a) => a.key === '_contract_address').value;
  for (let i = 0; i < WARMUP; i++) await app.wasm.executeContract(alice, [], contract, transfer);
  const gas0 = app.gasUsed;
  const t0 = now();
  for (let i = 0; i < N; i++) {
    const r = await app.wasm.executeContract(alice, [], contract, transfer);
    if (r.err) throw new Error(`cw-simulate transfer: ${r.val}`);
  }
  const us = (now() - t0) / N;
  const q = app.wasm.query(contract, { balance: { address: bob } });
  const expected = String(WARMUP + N);
  if (q.val.balance !== expected) throw new Error(`cw-simulate: bob has ${q.val.balance}, want ${expected}`);
  return { us_per_tx: us, gas_per_tx: (app.gasUsed - gas0) / N };
}

async function benchRawVm(metered) {
  const backend = {
    backend_api: new vm.BasicBackendApi('wasm'),
    storage: new vm.BasicKVIterStorage(),
    querier: new vm.BasicQuerier(),
  };
  const env = metered ? new vm.Environment(backend.backend_api, Number.MAX_SAFE_INTEGER) : undefined;
  const instance = new vm.VMInstance(backend, env);
  await instance.build(new Uint8Array(wasm));
  const contract = bech32.encode('wasm', bech32.toWords(createHash('sha256').update('contract').digest()));
  const mockEnv = {
    block: { height: 1, time: '1700000000000000000', chain_id: 'ballast-local' },
    contract: { address: contract },
    transaction: null,
  };
  const info = { sender: alice, funds: [] };
  const init = instance.instantiate(mockEnv, info, initMsg);
  if (!('ok' in init)) throw new Error(`vm-js instantiate: ${JSON.stringify(init)}`);
  for (let i = 0; i < WARMUP; i++) instance.execute(mockEnv, info, transfer);
  const gas0 = env ? env.gasUsed : 0;
  const t0 = now();
  for (let i = 0; i < N; i++) {
    const r = instance.execute(mockEnv, info, transfer);
    if (!('ok' in r)) throw new Error(`vm-js transfer: ${JSON.stringify(r)}`);
  }
  const us = (now() - t0) / N;
  return { us_per_tx: us, gas_per_tx: env ? (env.gasUsed - gas0) / N : null };
}

const cwSimulate = await benchCwSimulate();
const rawVm = await benchRawVm(true);
const rawVmUnmetered = await benchRawVm(false);
console.log(JSON.stringify({
  n: N, cw_simulate: cwSimulate, cosmwasm_vm_js: rawVm, cosmwasm_vm_js_unmetered: rawVmUnmetered,
}));
