import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// Testing Library unmounts automatically only with Vitest globals on; we keep them off.
afterEach(cleanup);
