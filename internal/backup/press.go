package backup

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/portal-data-bansos/portal/internal/store"
)

// pressRule says what of one press.db table a replica's copy keeps: the
// rows (where, over the source table src) and, per column, an expression
// that replaces its value. A table without a rule is refused: whoever adds
// a table decides whether readers may see it (docs/information-desk.md,
// "What is public").
type pressRule struct {
	where    string
	override map[string]string
	skip     bool
}

// pressRules is the public part of press.db, in the order rows must be
// copied (posts refer to users, revisions and attachments to posts).
var pressRules = []struct {
	table string
	rule  pressRule
}{
	// Accounts: the names a post may show, never a password hash (a
	// replica has no admin area to sign in to).
	{"user", pressRule{override: map[string]string{"password_hash": "''"}}},
	// Only what readers see: published and retracted posts, never drafts,
	// submissions or embargoed posts.
	{"post", pressRule{where: "status IN ('published', 'retracted')"}},
	{"post_revision", pressRule{where: "post_id IN (SELECT id FROM src.post WHERE status IN ('published', 'retracted'))"}},
	{"attachment", pressRule{where: "post_id IN (SELECT id FROM src.post WHERE status IN ('published', 'retracted'))"}},
	// Information requests: the published answers only (answered, and the
	// asker agreed to publication), with the asker's name and outlet only
	// when they agreed to show them, and never an e-mail address or the
	// tracking token's hash. A new column of request is copied as it
	// stands: if it holds personal data, blank it here.
	{"request", pressRule{where: "status = 'answered' AND consent_publish = 1", override: map[string]string{
		"name":       "CASE WHEN consent_name = 1 THEN name ELSE '' END",
		"outlet":     "CASE WHEN consent_name = 1 THEN outlet ELSE '' END",
		"email":      "''",
		"token_hash": "NULL",
		"draft_by":   "NULL",
		"closed_by":  "NULL",
	}}},
	{"public_version", pressRule{}},
	// Staff state: sessions and the audit log stay on the primary.
	{"session", pressRule{skip: true}},
	{"audit", pressRule{skip: true}},
}

// ExportPress writes the public part of the press store at pressPath to
// out, for a read-only replica's --press-file: published posts with their
// revisions and attachments, published answers of the information desk
// without the askers' personal data, and the accounts without their
// password hashes. Sessions, the audit log, drafts, embargoed posts and
// open or unpublished requests are left out. The file is built from the
// migrations, filled, vacuumed (so no deleted page keeps anything), checked
// and renamed into place.
func ExportPress(ctx context.Context, pressPath, out string) error {
	if _, err := os.Stat(pressPath); err != nil {
		return fmt.Errorf("press export: %w", err)
	}
	if err := writeStoreFile(ctx, store.Press, out, func(db *sql.DB) error {
		return copyPress(ctx, db, pressPath)
	}); err != nil {
		return fmt.Errorf("press export: %w", err)
	}
	return nil
}

// copyPress copies the public rows of the press store at path into the
// empty store db, in one transaction, by pressRules.
func copyPress(ctx context.Context, db *sql.DB, path string) error {
	if _, err := db.ExecContext(ctx, `ATTACH DATABASE ? AS src`, "file:"+path+"?mode=ro"); err != nil {
		return fmt.Errorf("open %s: %w", filepath.Base(path), err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	tables, err := tableNames(ctx, tx)
	if err != nil {
		return err
	}
	ruled := map[string]bool{}
	for _, r := range pressRules {
		ruled[r.table] = true
	}
	for _, t := range tables {
		if !ruled[t] {
			return fmt.Errorf("table %s has no rule: decide in internal/backup/press.go whether readers may see it", t)
		}
	}
	// The migrations seed some rows (public_version): the copy replaces them.
	for _, r := range pressRules {
		if r.rule.skip {
			continue
		}
		cols, err := columns(ctx, tx, r.table)
		if err != nil {
			return err
		}
		exprs := make([]string, len(cols))
		for i, c := range cols {
			exprs[i] = `"` + c + `"`
			if e, ok := r.rule.override[c]; ok {
				exprs[i] = e
			}
		}
		where := ""
		if r.rule.where != "" {
			where = " WHERE " + r.rule.where
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM main."%s"`, r.table)); err != nil {
			return fmt.Errorf("clear %s: %w", r.table, err)
		}
		q := fmt.Sprintf(`INSERT INTO main."%s" ("%s") SELECT %s FROM src."%s"%s`,
			r.table, strings.Join(cols, `", "`), strings.Join(exprs, ", "), r.table, where)
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("copy %s: %w", r.table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `DETACH DATABASE src`)
	return err
}
