import type { Catalog } from '../en.js';

export default {} satisfies Catalog;
