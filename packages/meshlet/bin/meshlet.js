#!/usr/bin/env node
// The `meshlet` command. The TypeScript sources build to dist/ (`pnpm build`).
import { main } from '../dist/cli/main.js'

await main()
