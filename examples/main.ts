import { App } from 'cdktf';
import { buildExampleStacks } from './partner-gateway-stack';

// The app cdktf.json runs: `npm run synth` writes cdktf.out/stacks/partner-gateway.
const app = new App();
buildExampleStacks(app);
app.synth();
