import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The React client. The host serves dist/renderer; the desktop app loads it too.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
  },
});
