// CommonJS consumer of @albert-ts/tokenizer alone (Node >= 20.19 loads the ES module through require()).
const { loadAlbertTokenizer } = require('@albert-ts/tokenizer/node');

const tokenizer = loadAlbertTokenizer(process.argv[2]);
const encoding = tokenizer.encode('Hello world!', 'How are you?', { maxLength: 12, truncation: true });
console.log(JSON.stringify({ tokens: tokenizer.tokenize('Hello world!'), inputIds: encoding.inputIds }));
