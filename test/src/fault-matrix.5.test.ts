// Shard 6 of the fault matrix (fault-matrix-suite.ts), in its own lab instance "matrix-5".
import { defineMatrixShard } from './fault-matrix-suite.js';

defineMatrixShard(5);
