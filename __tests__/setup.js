// cdktf's Testing matchers (toHaveResourceWithProperties, toBeValidTerraform, ...).
const cdktf = require("cdktf");
cdktf.Testing.setupJest();
