// Package public holds the site's templates and static assets, embedded in
// the binary so one file is the whole portal.
//
// static/vendor/ is filled by `make assets` from npm packages pinned in
// package-lock.json (ECharts); it is not committed.
package public

import "embed"

// FS holds templates/ and static/.
//
//go:embed templates static
var FS embed.FS
