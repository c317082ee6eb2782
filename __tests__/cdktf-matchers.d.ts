// Brings cdktf's Jest matcher types (toHaveResourceWithProperties, toPlanSuccessfully, ...)
// into every test file; __tests__/setup.js registers the matchers themselves.
import "cdktf/lib/testing/adapters/jest";
