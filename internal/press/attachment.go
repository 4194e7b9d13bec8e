package press

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/portal-data-bansos/portal/internal/i18n"
)

// MaxAttachment is the largest attachment accepted.
const MaxAttachment = 10 << 20

// maxAlt is the longest alt text of an image, in characters.
const maxAlt = 500

// Attachment is a file attached to a post.
type Attachment struct {
	ID          int64
	PostID      int64
	Name        string
	ContentType string
	Size        int64
	SHA256      string
	Created     time.Time
	// Alt is an image's text alternative, in the post's languages (empty
	// for a PDF).
	Alt i18n.Text
}

// IsImage reports whether the attachment is shown as an image.
func (a *Attachment) IsImage() bool { return strings.HasPrefix(a.ContentType, "image/") }

// allowedTypes maps each accepted content type (as sniffed from the bytes)
// to the extensions a file of that type may carry. SVG is not accepted: it
// can carry script.
var allowedTypes = map[string][]string{
	"application/pdf": {".pdf"},
	"image/png":       {".png"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/gif":       {".gif"},
	"image/webp":      {".webp"},
}

var unsafeName = regexp.MustCompile(`[^\p{L}\p{N}._ -]+`)

// CleanName keeps a file name's last element, with only letters, digits,
// dot, dash, underscore and space.
func CleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.TrimSpace(unsafeName.ReplaceAllString(name, "_"))
	name = strings.TrimLeft(name, ".")
	if len(name) > 120 {
		ext := path.Ext(name)
		if len(ext) > 10 {
			ext = ""
		}
		name = name[:120-len(ext)] + ext
	}
	if name == "" || name == "." {
		name = "lampiran"
	}
	return name
}

// SniffAttachment checks an upload: its type is read from its bytes, and a
// name whose extension says otherwise is refused.
func SniffAttachment(name string, data []byte) (cleanName, contentType string, err error) {
	if len(data) == 0 {
		return "", "", invalid("attachment", "file_empty")
	}
	if len(data) > MaxAttachment {
		return "", "", invalid("attachment", "file_too_large", MaxAttachment>>20)
	}
	ct, _, _ := strings.Cut(http.DetectContentType(data), ";")
	exts, ok := allowedTypes[ct]
	if !ok {
		return "", "", invalid("attachment", "file_type")
	}
	cleanName = CleanName(name)
	ext := strings.ToLower(path.Ext(cleanName))
	found := false
	for _, e := range exts {
		found = found || e == ext
	}
	if !found {
		return "", "", invalid("attachment", "file_lies", ct, ext)
	}
	return cleanName, ct, nil
}

// Attach stores a file for an unpublished post the user may edit, or, by
// an admin, for a published post as a correction. An image needs its alt
// text, for readers who do not see it, in each language the post is
// written in; a PDF needs none.
func (s *Store) Attach(ctx context.Context, u *User, postID int64, name string, alt i18n.Text, data []byte, now time.Time) (*Attachment, error) {
	if u == nil {
		return nil, ErrForbidden
	}
	return s.attachAlt(ctx, u, postID, name, alt, data, now)
}

// attach stores a file without alt text; a nil user is the system (the
// demo, whose banner is an example).
func (s *Store) attach(ctx context.Context, u *User, postID int64, name string, data []byte, now time.Time) (*Attachment, error) {
	return s.attachAlt(ctx, u, postID, name, i18n.Text{}, data, now)
}

// attachAlt stores a file with its alt text, checked for a user's images.
func (s *Store) attachAlt(ctx context.Context, u *User, postID int64, name string, alt i18n.Text, data []byte, now time.Time) (*Attachment, error) {
	clean, ct, err := SniffAttachment(name, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	a := &Attachment{PostID: postID, Name: clean, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Created: now.UTC()}
	if a.IsImage() {
		if a.Alt.ID, err = oneLine("alt_id", alt.ID, maxAlt); err != nil {
			return nil, err
		}
		if a.Alt.EN, err = oneLine("alt_en", alt.EN, maxAlt); err != nil {
			return nil, err
		}
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		p, err := load(ctx, tx, postID)
		if err != nil {
			return err
		}
		// On a published post, adding a file is a correction (admins only):
		// public, dated and in the revision history, never silent.
		correction := p.Status == StatusPublished
		if u != nil && !(correction && u.IsAdmin()) {
			if err := mayEdit(u, p); err != nil {
				return err
			}
		}
		if u != nil && a.IsImage() {
			if err := checkAlt(&p.Content, &a.Alt); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO attachment (post_id, name, content_type, size, sha256, data, created_at, alt_id, alt_en) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			postID, a.Name, a.ContentType, a.Size, a.SHA256, data, fmtTime(now), a.Alt.ID, a.Alt.EN)
		if err != nil {
			return fmt.Errorf("press: attach: %w", err)
		}
		a.ID, _ = res.LastInsertId()
		if correction {
			rev := p.Revision + 1
			if _, err := tx.ExecContext(ctx, `UPDATE post SET corrected_at = ?, revision = ? WHERE id = ?`, fmtTime(now), rev, postID); err != nil {
				return err
			}
			note := i18n.Text{ID: "Lampiran ditambahkan: " + a.Name, EN: "Attachment added: " + a.Name}
			if err := addRevision(ctx, tx, u, postID, rev, "correction", note, []string{"attachments"}, &p.Content, now); err != nil {
				return err
			}
			if err := bumpPublic(ctx, tx); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, u, "attachment.add", postID, a.Name+" sha256:"+a.SHA256)
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// checkAlt asks an image's alt text in each language the post is written
// in (an Indonesian post: Indonesian; a bilingual one: both), and drops
// the text of a language the post does not have.
func checkAlt(c *Content, alt *i18n.Text) error {
	for _, l := range []string{LangID, LangEN} {
		text := &alt.ID
		if l == LangEN {
			text = &alt.EN
		}
		switch {
		case !c.HasLang(l):
			*text = ""
		case *text == "":
			return invalid("alt_"+l, "alt_required")
		}
	}
	return nil
}

// Attachments lists a post's files.
func (s *Store) Attachments(ctx context.Context, postID int64) ([]Attachment, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, post_id, name, content_type, size, sha256, created_at, alt_id, alt_en FROM attachment WHERE post_id = ? ORDER BY id`, postID)
	if err != nil {
		return nil, fmt.Errorf("press: attachments of %d: %w", postID, err)
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		var created sql.NullString
		if err := rows.Scan(&a.ID, &a.PostID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &created, &a.Alt.ID, &a.Alt.EN); err != nil {
			return nil, err
		}
		a.Created = parseTime(created)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AttachmentData returns a file and its bytes.
func (s *Store) AttachmentData(ctx context.Context, id int64) (*Attachment, []byte, error) {
	var a Attachment
	var created sql.NullString
	var data []byte
	err := s.db.R.QueryRowContext(ctx, `SELECT id, post_id, name, content_type, size, sha256, created_at, alt_id, alt_en, data FROM attachment WHERE id = ?`, id).
		Scan(&a.ID, &a.PostID, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &created, &a.Alt.ID, &a.Alt.EN, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("press: attachment %d: %w", id, err)
	}
	a.Created = parseTime(created)
	return &a, data, nil
}
