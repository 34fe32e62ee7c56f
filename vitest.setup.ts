// Unit tests run in Node: WebCrypto is built in; fake-indexeddb stands in for the browser's IndexedDB.
import 'fake-indexeddb/auto';
