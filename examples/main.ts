import { App } from 'cdktf';
import { buildExampleStacks } from './partner-gateway-stack';
import { PlatformTeamStack } from './platform-team-stack';

// The app cdktf.json runs: `npm run synth` writes cdktf.out/stacks/partner-gateway and platform-apis.
const app = new App();
buildExampleStacks(app);
new PlatformTeamStack(app, 'platform-apis');
app.synth();
