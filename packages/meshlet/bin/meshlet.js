#!/usr/bin/env node
// The `meshlet` command. `pnpm build` bundles the command line into dist/bundle/cli.js.
import { main } from '../dist/bundle/cli.js'

await main()
