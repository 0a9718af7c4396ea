/** RETORT_CACHE_MAX_MB (or `env`) in bytes, or an error sentence when it is not a positive number of megabytes. */
export declare function sizeLimit(env?: string): { bytes: number; error?: undefined } | { error: string; bytes?: undefined };
