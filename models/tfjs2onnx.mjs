#!/usr/bin/env node
// tfjs2onnx.mjs - turn a TensorFlow.js graph model (model.json + weights)
// into the ONNX subset headsup's inference engine reads (src/nn.c).
//
// Usage: node models/tfjs2onnx.mjs MODEL.json OUT.onnx
//
// Run once by models/fetch-model.sh after the checksums of the published
// files are verified.  The output is a pure function of the input, so its
// own sha256 can be pinned in models/manifest.ini as well.
//
// TensorFlow works channels-last (NHWC, filters HWIO); ONNX is
// channels-first (NCHW, filters OIHW).  The graph keeps the model's NHWC
// input, transposes it once, and every weight is re-laid out here.  Only
// the operators MediaPipe's landmark networks use are mapped; anything else
// stops the conversion with the operator's name.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const fail = (msg) => { console.error(`tfjs2onnx: ${msg}`); process.exit(1); };
if (process.argv.length !== 4) fail('usage: tfjs2onnx.mjs MODEL.json OUT.onnx');
const [jsonPath, outPath] = process.argv.slice(2);

// ---- reading the TensorFlow.js model ---------------------------------------

let model;
try {
	model = JSON.parse(readFileSync(jsonPath, 'utf8'));
} catch (e) {
	fail(`${jsonPath}: ${e.message}`);
}
if (model.format !== 'graph-model' || !model.modelTopology || !model.weightsManifest)
	fail(`${jsonPath}: not a TensorFlow.js graph model`);

function halfToFloat(h) {
	const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
	if (e === 0) return s * m * 2 ** -24;
	if (e === 31) return m ? NaN : s * Infinity;
	return s * (1 + m / 1024) * 2 ** (e - 15);
}

// name -> { shape, data: Float32Array | Int32Array }
const consts = new Map();
for (const group of model.weightsManifest) {
	const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dirname(jsonPath), p))));
	let off = 0;
	for (const w of group.weights) {
		const n = w.shape.reduce((a, b) => a * b, 1);
		const q = w.quantization;
		let data;
		if (q && q.dtype === 'float16') {
			data = new Float32Array(n);
			for (let i = 0; i < n; i++) data[i] = halfToFloat(bytes.readUInt16LE(off + 2 * i));
			off += 2 * n;
		} else if (q) {
			fail(`${w.name}: quantization ${q.dtype} is not supported`);
		} else if (w.dtype === 'float32') {
			data = new Float32Array(n);
			for (let i = 0; i < n; i++) data[i] = bytes.readFloatLE(off + 4 * i);
			off += 4 * n;
		} else if (w.dtype === 'int32') {
			data = new Int32Array(n);
			for (let i = 0; i < n; i++) data[i] = bytes.readInt32LE(off + 4 * i);
			off += 4 * n;
		} else {
			fail(`${w.name}: dtype ${w.dtype} is not supported`);
		}
		if (off > bytes.length) fail(`${jsonPath}: the weights file is shorter than its manifest`);
		consts.set(w.name, { shape: w.shape, data });
	}
	if (off !== bytes.length) fail(`${jsonPath}: the weights file is longer than its manifest`);
}

// ---- the ONNX graph ----------------------------------------------------------

const nodes = [];       // { op, inputs, outputs, name, attrs: [[name, type, value]] }
const inits = new Map(); // name -> { dims, type: 'f' | 'i64', data }
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 };

const ref = (s) => s.split(':')[0];
const str = (a) => Buffer.from(a.s, 'base64').toString();
const ints = (a) => a.list.i.map(Number);
const constOf = (name) => consts.get(ref(name)) || fail(`constant ${name} is missing`);

function addInit(name, dims, data, type = 'f') {
	inits.set(name, { dims, type, data });
	return name;
}
// HWIO -> OIHW, and for depthwise HW C 1 -> C 1 H W.
function filter(name, depthwise) {
	const c = constOf(name);
	const [kh, kw, ci, co] = c.shape;
	const O = depthwise ? ci : co, I = depthwise ? 1 : ci;
	const out = new Float32Array(c.data.length);
	for (let o = 0; o < O; o++)
		for (let i = 0; i < I; i++)
			for (let y = 0; y < kh; y++)
				for (let x = 0; x < kw; x++) {
					const src = depthwise ? ((y * kw + x) * ci + o) * co : ((y * kw + x) * ci + i) * co + o;
					out[((o * I + i) * kh + y) * kw + x] = c.data[src];
				}
	return { dims: [O, I, kh, kw], data: out, channels: O };
}
// A per-channel vector of any TF broadcast shape ([C], [1,1,C]) as [C,1,1].
function channelVector(name) {
	const c = constOf(name);
	return { dims: [c.data.length, 1, 1], data: Float32Array.from(c.data) };
}

function convAttrs(a, kh, kw) {
	const s = ints(a.strides);
	if (a.data_format && str(a.data_format) !== 'NHWC') fail('only NHWC convolutions are supported');
	if (a.dilations && ints(a.dilations).some((d) => d !== 1)) fail('dilated convolutions are not supported');
	const pad = str(a.padding);
	if (pad !== 'SAME' && pad !== 'VALID') fail(`padding ${pad} is not supported`);
	return [
		['kernel_shape', ATTR.INTS, [kh, kw]],
		['strides', ATTR.INTS, [s[1], s[2]]],
		// TensorFlow's SAME puts the odd pixel at the end: ONNX SAME_UPPER.
		['auto_pad', ATTR.STRING, pad === 'SAME' ? 'SAME_UPPER' : 'VALID'],
	];
}

const graphInputs = [];
const names = new Set();
for (const nd of model.modelTopology.node) {
	const a = nd.attr || {};
	const ins = (nd.input || []).filter((i) => !i.startsWith('^')).map(ref);
	const out = nd.name;
	names.add(out);
	switch (nd.op) {
	case 'Const':
		break;
	case 'Placeholder': {
		const dims = a.shape.shape.dim.map((d) => Math.max(1, Number(d.size)));
		graphInputs.push({ name: out, dims });
		nodes.push({ op: 'Transpose', inputs: [out + '/nhwc'], outputs: [out], name: out + '/to_nchw',
			attrs: [['perm', ATTR.INTS, [0, 3, 1, 2]]] });
		break;
	}
	case '_FusedConv2D':
	case 'DepthwiseConv2dNative': {
		const dw = nd.op !== '_FusedConv2D';
		const f = filter(ins[1], dw);
		const w = addInit(ins[1] + '/oihw', f.dims, f.data);
		const attrs = convAttrs(a, f.dims[2], f.dims[3]);
		if (dw) attrs.push(['group', ATTR.INT, f.channels]);
		const fused = dw ? [] : a.fused_ops.list.s.map((s) => Buffer.from(s, 'base64').toString());
		const convIn = [ins[0], w];
		if (fused[0] === 'BiasAdd') convIn.push(addInit(ins[2], [f.channels], Float32Array.from(constOf(ins[2]).data)));
		else if (fused.length) fail(`${out}: fused ops ${fused} are not supported`);
		const act = fused[1];
		const convOut = act ? out + '/conv' : out;
		nodes.push({ op: 'Conv', inputs: convIn, outputs: [convOut], name: out, attrs });
		if (act === 'Prelu') {
			const v = channelVector(ins[3]);
			nodes.push({ op: 'PRelu', inputs: [convOut, addInit(ins[3] + '/chw', v.dims, v.data)],
				outputs: [out], name: out + '/prelu', attrs: [] });
		} else if (act === 'Relu') {
			nodes.push({ op: 'Relu', inputs: [convOut], outputs: [out], name: out + '/relu', attrs: [] });
		} else if (act) {
			fail(`${out}: fused activation ${act} is not supported`);
		}
		break;
	}
	case 'AddV2':
	case 'Add':
		nodes.push({ op: 'Add', inputs: ins, outputs: [out], name: out, attrs: [] });
		break;
	case 'Prelu': {
		const v = channelVector(ins[1]);
		nodes.push({ op: 'PRelu', inputs: [ins[0], addInit(ins[1] + '/chw', v.dims, v.data)],
			outputs: [out], name: out, attrs: [] });
		break;
	}
	case 'Relu':
	case 'Sigmoid':
	case 'Identity':
		nodes.push({ op: nd.op, inputs: [ins[0]], outputs: [out], name: out, attrs: [] });
		break;
	case 'MaxPool': {
		const k = ints(a.ksize), s = ints(a.strides);
		if (str(a.padding) !== 'VALID') fail(`${out}: only VALID max pooling is supported`);
		nodes.push({ op: 'MaxPool', inputs: [ins[0]], outputs: [out], name: out,
			attrs: [['kernel_shape', ATTR.INTS, [k[1], k[2]]], ['strides', ATTR.INTS, [s[1], s[2]]]] });
		break;
	}
	case 'Pad': {
		// paddings [[n0,n1],[h0,h1],[w0,w1],[c0,c1]] -> begins then ends, NCHW.
		const p = Array.from(constOf(ins[1]).data);
		if (p.length !== 8) fail(`${out}: Pad needs a 4-D tensor`);
		const pads = [p[0], p[6], p[2], p[4], p[1], p[7], p[3], p[5]];
		nodes.push({ op: 'Pad', inputs: [ins[0], addInit(out + '/pads', [8], BigInt64Array.from(pads.map(BigInt)), 'i64')],
			outputs: [out], name: out, attrs: [['mode', ATTR.STRING, 'constant']] });
		break;
	}
	case 'ConcatV2': {
		const axis = constOf(nd.input[nd.input.length - 1]).data[0];
		const nchw = [0, 2, 3, 1][axis < 0 ? axis + 4 : axis];
		nodes.push({ op: 'Concat', inputs: ins.slice(0, -1), outputs: [out], name: out,
			attrs: [['axis', ATTR.INT, nchw]] });
		break;
	}
	case 'Reshape': {
		// Reshape works on TensorFlow's NHWC element order: go back to it first.
		const shape = Array.from(constOf(ins[1]).data).map((v) => (v < 0 ? 1 : v));
		nodes.push({ op: 'Transpose', inputs: [ins[0]], outputs: [out + '/nhwc'], name: out + '/to_nhwc',
			attrs: [['perm', ATTR.INTS, [0, 2, 3, 1]]] });
		nodes.push({ op: 'Reshape', inputs: [out + '/nhwc', addInit(out + '/shape', [shape.length], BigInt64Array.from(shape.map(BigInt)), 'i64')],
			outputs: [out], name: out, attrs: [] });
		break;
	}
	default:
		fail(`${out}: operator ${nd.op} is not supported`);
	}
}
if (graphInputs.length !== 1) fail(`${jsonPath}: expected one input, found ${graphInputs.length}`);

// Outputs under the signature's names, in the signature's order.
const sig = model.signature || (model.userDefinedMetadata || {}).signature;
if (!sig || !sig.outputs) fail(`${jsonPath}: the model has no output signature`);
const graphOutputs = [];
for (const [key, v] of Object.entries(sig.outputs)) {
	const src = ref(v.name);
	if (!names.has(src)) fail(`${jsonPath}: output ${v.name} is not in the graph`);
	const name = key.replace(/:0$/, '');
	nodes.push({ op: 'Identity', inputs: [src], outputs: [name], name: name + '/out', attrs: [] });
	const dims = ((v.tensorShape || {}).dim || []).map((d) => Math.max(1, Number(d.size)));
	graphOutputs.push({ name, dims });
}

// ---- protobuf encoding -------------------------------------------------------

function varint(n) {
	let v = BigInt.asUintN(64, BigInt(n));
	const b = [];
	do {
		let byte = Number(v & 0x7fn);
		v >>= 7n;
		if (v) byte |= 0x80;
		b.push(byte);
	} while (v);
	return Buffer.from(b);
}
const key = (field, wire) => varint((field << 3) | wire);
const fInt = (field, n) => Buffer.concat([key(field, 0), varint(n)]);
const fBytes = (field, buf) => Buffer.concat([key(field, 2), varint(buf.length), buf]);
const fStr = (field, s) => fBytes(field, Buffer.from(s, 'utf8'));
const fFloat = (field, x) => { const b = Buffer.alloc(4); b.writeFloatLE(x); return Buffer.concat([key(field, 5), b]); };

function attribute([name, type, value]) {
	const parts = [fStr(1, name), fInt(20, type)];
	if (type === ATTR.INT) parts.push(fInt(3, value));
	else if (type === ATTR.FLOAT) parts.push(fFloat(2, value));
	else if (type === ATTR.STRING) parts.push(fBytes(4, Buffer.from(value)));
	else if (type === ATTR.INTS) for (const v of value) parts.push(fInt(8, v));
	return Buffer.concat(parts);
}
function node(n) {
	return Buffer.concat([
		...n.inputs.map((i) => fStr(1, i)), ...n.outputs.map((o) => fStr(2, o)),
		fStr(3, n.name), fStr(4, n.op), ...n.attrs.map((a) => fBytes(5, attribute(a))),
	]);
}
function tensor(name, t) {
	const raw = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
	return Buffer.concat([...t.dims.map((d) => fInt(1, d)), fInt(2, t.type === 'f' ? 1 : 7),
		fStr(8, name), fBytes(9, raw)]);
}
function valueInfo(name, dims) {
	const shape = Buffer.concat(dims.map((d) => fBytes(1, fInt(1, d))));
	const tt = Buffer.concat([fInt(1, 1), fBytes(2, shape)]);
	return Buffer.concat([fStr(1, name), fBytes(2, fBytes(1, tt))]);
}

const inName = graphInputs[0].name + '/nhwc';
const graph = Buffer.concat([
	...nodes.map((n) => fBytes(1, node(n))),
	fStr(2, 'tfjs:' + (model.generatedBy || 'model')),
	...[...inits].map(([name, t]) => fBytes(5, tensor(name, t))),
	fBytes(11, valueInfo(inName, graphInputs[0].dims)),
	...graphOutputs.map((o) => fBytes(12, valueInfo(o.name, o.dims))),
]);
const onnx = Buffer.concat([
	fInt(1, 7),                                         // ir_version
	fStr(2, 'headsup tfjs2onnx'),                       // producer_name
	fBytes(8, Buffer.concat([fStr(1, ''), fInt(2, 13)])), // opset_import
	fBytes(7, graph),
]);
writeFileSync(outPath, onnx);
console.log(`tfjs2onnx: ${outPath}: ${nodes.length} nodes, ${inits.size} tensors`);
