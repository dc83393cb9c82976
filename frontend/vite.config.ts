import { defineConfig } from "vitest/config";

// The bundle ships inside the Python package with fixed names (grid.js, grid.css) so the
// template can link them and CI can rebuild and diff them byte for byte.
export default defineConfig({
  build: {
    outDir: "../dtale_lite/server/static/grid",
    emptyOutDir: true,
    target: "es2020",
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    lib: {
      entry: "src/main.ts",
      name: "DtaleLiteGrid",
      formats: ["iife"],
      fileName: () => "grid.js",
      cssFileName: "grid",
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
