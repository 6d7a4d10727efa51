import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The host embeds the build output in its assembly and serves it at /designer/assets/ with a content hash in
// the query string, so the file names stay fixed here (the server-rendered shell names them).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: process.env.DESIGNER_OUT ?? "../../obj/designer",
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: "src/main.tsx",
      output: {
        entryFileNames: "designer.js",
        chunkFileNames: "designer-[name].js",
        assetFileNames: "designer[extname]",
        inlineDynamicImports: true,
      },
    },
  },
});
