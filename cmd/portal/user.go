package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/portal-data-bansos/portal/internal/press"
	"github.com/portal-data-bansos/portal/internal/store"
)

// runUser manages press-office accounts:
//
//	portal user add NAME --role editor|admin
//
// The password is read from stdin (one line) or, on a terminal, from a
// prompt without echo; never from the command line, where other users of
// the machine and the shell history would see it.
func runUser(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(e.stderr, "usage: portal user add NAME --role editor|admin  (password from stdin or a prompt)")
		return exitUsage
	}
	var role string
	// Flags may come before or after NAME.
	var name string
	rest := args[1:]
	if len(rest) > 0 && !strings.HasPrefix(rest[0], "-") {
		name, rest = rest[0], rest[1:]
	}
	cfg, fs, code := parseFlags(e, "user add", rest, (*Config).registerData, func(fs *flag.FlagSet) {
		fs.StringVar(&role, "role", "", "editor (writes and submits) or admin (also publishes, corrects, manages accounts)")
	})
	if code >= 0 {
		return code
	}
	if name == "" && fs.NArg() == 1 {
		name = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintln(e.stderr, "portal user add: give one NAME; the password is read from stdin, never from arguments")
		return exitUsage
	}
	if name == "" || (role != press.RoleEditor && role != press.RoleAdmin) {
		fmt.Fprintln(e.stderr, "usage: portal user add NAME --role editor|admin")
		return exitUsage
	}
	password, err := readPassword(e)
	if err != nil {
		fmt.Fprintf(e.stderr, "portal user add: %v\n", err)
		return exitFailure
	}
	db, err := store.Open(ctx, cfg.Data, store.Press, store.Options{})
	if err != nil {
		fmt.Fprintf(e.stderr, "portal user add: %v\n", err)
		return exitFailure
	}
	defer db.Close()
	u, err := press.New(db).AddUser(ctx, name, role, password, time.Now())
	if err != nil {
		fmt.Fprintf(e.stderr, "portal user add: %v\n", err)
		return exitFailure
	}
	fmt.Fprintf(e.stdout, "account %s (%s) created\n", u.Name, u.Role)
	return exitOK
}

// readPassword reads the password from a terminal prompt (twice, without
// echo) or one line of stdin.
func readPassword(e *env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password: ")
		p1, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(e.stderr, "Again: ")
		p2, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		if err != nil {
			return "", err
		}
		if string(p1) != string(p2) {
			return "", errors.New("the passwords differ")
		}
		return string(p1), nil
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on stdin")
	}
	return line, nil
}
