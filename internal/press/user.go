package press

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Roles: editors write and submit; admins also publish, schedule, correct,
// retract and manage accounts.
const (
	RoleEditor = "editor"
	RoleAdmin  = "admin"
)

// User is a press-office account.
type User struct {
	ID       int64
	Name     string
	Role     string
	Disabled bool
	Created  time.Time
}

// IsAdmin reports whether the user may publish and manage accounts.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// Argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes, one
// thread) keeps a login around 30 ms while making offline guessing costly.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	// MinPassword is the shortest password accepted.
	MinPassword = 12
)

var userName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]{1,39}$`)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("press: salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches the PHC hash.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the account does not exist, so the
// answer takes as long as for a wrong password.
var dummyHash, _ = HashPassword("not a real password, only for timing")

// AddUser creates an account.
func (s *Store) AddUser(ctx context.Context, name, role, password string, now time.Time) (*User, error) {
	if !userName.MatchString(name) {
		return nil, invalid("name", "user_name")
	}
	if role != RoleEditor && role != RoleAdmin {
		return nil, invalid("role", "role")
	}
	if utf8.RuneCountInString(password) < MinPassword {
		return nil, invalid("password", "password_short", MinPassword)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	u := &User{Name: name, Role: role, Created: now.UTC()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO user (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)`,
			name, role, hash, fmtTime(now))
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return invalid("name", "user_exists")
			}
			return fmt.Errorf("press: add user: %w", err)
		}
		u.ID, _ = res.LastInsertId()
		return audit(ctx, tx, now, nil, "user.add", 0, name+" ("+role+")")
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// Authenticate checks a name and password; a disabled account cannot log
// in. It returns ErrForbidden for any failure, saying nothing of which part
// was wrong.
func (s *Store) Authenticate(ctx context.Context, name, password string) (*User, error) {
	var u User
	var hash, created string
	err := s.db.R.QueryRowContext(ctx, `SELECT id, name, role, disabled, password_hash, created_at FROM user WHERE name = ?`, name).
		Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &hash, &created)
	if errors.Is(err, sql.ErrNoRows) {
		CheckPassword(dummyHash, password)
		return nil, ErrForbidden
	}
	if err != nil {
		return nil, fmt.Errorf("press: authenticate: %w", err)
	}
	if !CheckPassword(hash, password) || u.Disabled {
		return nil, ErrForbidden
	}
	return &u, nil
}

// Users lists every account.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, name, role, disabled, created_at FROM user ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("press: users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var created sql.NullString
		if err := rows.Scan(&u.ID, &u.Name, &u.Role, &u.Disabled, &created); err != nil {
			return nil, err
		}
		u.Created = parseTime(created)
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetDisabled disables or enables an account; disabling ends its sessions.
// An admin cannot disable their own account (there would be no one left to
// undo it).
func (s *Store) SetDisabled(ctx context.Context, by *User, id int64, disabled bool, now time.Time) error {
	if !by.IsAdmin() {
		return ErrForbidden
	}
	if by.ID == id {
		return invalid("user", "self_disable")
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM user WHERE id = ?`, id).Scan(&name); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE user SET disabled = ? WHERE id = ?`, disabled, id); err != nil {
			return fmt.Errorf("press: disable user: %w", err)
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE user_id = ?`, id); err != nil {
				return err
			}
		}
		return audit(ctx, tx, now, by, action, 0, name)
	})
}

// SessionTTL is how long a login lasts.
const SessionTTL = 12 * time.Hour

// Session is a logged-in user and the session's CSRF token.
type Session struct {
	User    User
	CSRF    string
	Expires time.Time
}

// RandomToken returns 32 random bytes, URL-safe base64.
func RandomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("press: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// StartSession creates a session for u and returns its token (only the
// hash is stored).
func (s *Store) StartSession(ctx context.Context, u *User, now time.Time) (token string, sess *Session, err error) {
	token = RandomToken()
	sess = &Session{User: *u, CSRF: RandomToken(), Expires: now.Add(SessionTTL).UTC()}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE expires_at < ?`, fmtTime(now)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO session (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
			tokenHash(token), u.ID, sess.CSRF, fmtTime(now), fmtTime(sess.Expires)); err != nil {
			return fmt.Errorf("press: start session: %w", err)
		}
		return audit(ctx, tx, now, u, "login", 0, "")
	})
	if err != nil {
		return "", nil, err
	}
	return token, sess, nil
}

// SessionOf returns the live session of a token, or ErrNotFound.
func (s *Store) SessionOf(ctx context.Context, token string, now time.Time) (*Session, error) {
	if token == "" {
		return nil, ErrNotFound
	}
	var sess Session
	var exp string
	err := s.db.R.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.disabled, s.csrf, s.expires_at
		FROM session s JOIN user u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash(token)).
		Scan(&sess.User.ID, &sess.User.Name, &sess.User.Role, &sess.User.Disabled, &sess.CSRF, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("press: session: %w", err)
	}
	sess.Expires = parseTime(sql.NullString{String: exp, Valid: true})
	if sess.User.Disabled || !now.Before(sess.Expires) {
		return nil, ErrNotFound
	}
	return &sess, nil
}

// EndSession logs a session out.
func (s *Store) EndSession(ctx context.Context, token string, u *User, now time.Time) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM session WHERE token_hash = ?`, tokenHash(token)); err != nil {
			return fmt.Errorf("press: end session: %w", err)
		}
		return audit(ctx, tx, now, u, "logout", 0, "")
	})
}
