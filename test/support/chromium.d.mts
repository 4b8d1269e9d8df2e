/** Types of chromium.mjs, which the test-runner config (plain JavaScript) also imports. */
export declare const chromiumPath: string;
export declare const chromiumArgs: string[];
