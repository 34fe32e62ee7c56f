// Byte units, once: disk sizes, record sizes and quotas are written in them across the lab.
export const KIB = 1024;
export const MIB = 1024 * KIB;
