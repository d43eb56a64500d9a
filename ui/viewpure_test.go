package ui

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// mutators are methods of the widgets (viewport, textinput, spinner) and
// builtins that change what they are called on.
var mutators = []string{
	"SetContent", "SetValue", "SetWidth", "SetHeight", "SetYOffset", "GotoTop", "GotoBottom",
	"LineUp", "LineDown", "ScrollUp", "ScrollDown", "Focus", "Blur", "Reset", "CursorEnd",
	"CursorStart", "Update", "clear", "delete",
}

// viewProblem is one place where drawing would change the model or ask
// the demo simulation something.
type viewProblem struct {
	pos  token.Position
	fn   string
	what string
}

// checkViewsPure reads the Go files of a package and lists what every
// View method, and every function of the package it can reach, does
// beyond drawing: assigning to a field or an element of its receiver or
// parameters, calling a mutating method on them, or calling the demo
// simulation (….Opts.Demo.X()). Calls are followed by name (a call on the
// receiver to the receiver type's own method), so a helper can't hide a
// change.
func checkViewsPure(files map[string]string) ([]viewProblem, error) {
	fset := token.NewFileSet()
	funcs := map[string][]*ast.FuncDecl{}
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				funcs[fd.Name.Name] = append(funcs[fd.Name.Name], fd)
			}
		}
	}
	var queue []*ast.FuncDecl
	seen := map[*ast.FuncDecl]bool{}
	push := func(fds ...*ast.FuncDecl) {
		for _, fd := range fds {
			if !seen[fd] {
				seen[fd] = true
				queue = append(queue, fd)
			}
		}
	}
	for _, fd := range funcs["View"] {
		if fd.Recv != nil {
			push(fd)
		}
	}
	var problems []viewProblem
	for len(queue) > 0 {
		fd := queue[0]
		queue = queue[1:]
		c := &viewChecker{fset: fset, fd: fd, funcs: funcs, push: push}
		problems = append(problems, c.check()...)
	}
	slices.SortFunc(problems, func(a, b viewProblem) int {
		return strings.Compare(a.pos.String(), b.pos.String())
	})
	return problems, nil
}

type viewChecker struct {
	fset     *token.FileSet
	fd       *ast.FuncDecl
	funcs    map[string][]*ast.FuncDecl
	push     func(...*ast.FuncDecl)
	outside  map[string]bool // receiver and parameters: the caller's state
	demo     map[string]bool // locals holding the demo simulation
	recvType string
	problems []viewProblem
}

func (c *viewChecker) name() string {
	if c.fd.Recv != nil {
		return c.recvType + "." + c.fd.Name.Name
	}
	return c.fd.Name.Name
}

func (c *viewChecker) report(n ast.Node, format string, args ...any) {
	c.problems = append(c.problems, viewProblem{c.fset.Position(n.Pos()), c.name(), fmt.Sprintf(format, args...)})
}

func typeName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.StarExpr:
		return typeName(e.X)
	case *ast.Ident:
		return e.Name
	}
	return ""
}

func (c *viewChecker) check() []viewProblem {
	c.outside, c.demo = map[string]bool{}, map[string]bool{}
	var recv string
	if c.fd.Recv != nil && len(c.fd.Recv.List) > 0 {
		c.recvType = typeName(c.fd.Recv.List[0].Type)
		for _, n := range c.fd.Recv.List[0].Names {
			c.outside[n.Name], recv = true, n.Name
		}
	}
	for _, p := range c.fd.Type.Params.List {
		for _, n := range p.Names {
			c.outside[n.Name] = true
		}
	}
	ast.Inspect(c.fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			c.assign(n)
		case *ast.IncDecStmt:
			c.write(n.X, n)
		case *ast.CallExpr:
			c.call(n, recv)
		}
		return true
	})
	return c.problems
}

// root is the variable an expression such as s.vp.Width() or lines[i]
// starts from; direct: the expression is that variable itself.
func root(e ast.Expr) (name string, direct bool) {
	direct = true
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name, direct
		case *ast.SelectorExpr:
			e, direct = x.X, false
		case *ast.IndexExpr:
			e, direct = x.X, false
		case *ast.StarExpr:
			e, direct = x.X, false
		case *ast.ParenExpr:
			e = x.X
		default:
			return "", false
		}
	}
}

func (c *viewChecker) write(lhs ast.Expr, at ast.Node) {
	if r, direct := root(lhs); !direct && c.outside[r] {
		c.report(at, "writes %s", exprString(lhs))
	}
}

func (c *viewChecker) assign(n *ast.AssignStmt) {
	if n.Tok != token.DEFINE {
		for _, l := range n.Lhs {
			c.write(l, n)
		}
	}
	for i, r := range n.Rhs {
		if isDemo(r) && i < len(n.Lhs) {
			if id, ok := n.Lhs[i].(*ast.Ident); ok {
				c.demo[id.Name] = true
			}
		}
	}
}

// isDemo: the expression is ….Opts.Demo (the simulation; Styles.Demo is
// a style).
func isDemo(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	if !ok || s.Sel.Name != "Demo" {
		return false
	}
	opts, ok := s.X.(*ast.SelectorExpr)
	return ok && opts.Sel.Name == "Opts"
}

func (c *viewChecker) call(n *ast.CallExpr, recv string) {
	switch f := n.Fun.(type) {
	case *ast.Ident:
		if f.Name == "clear" || f.Name == "delete" {
			if len(n.Args) > 0 {
				if r, _ := root(n.Args[0]); c.outside[r] {
					c.report(n, "%s(%s)", f.Name, exprString(n.Args[0]))
				}
			}
			return
		}
		c.push(c.funcs[f.Name]...)
	case *ast.SelectorExpr:
		if r, _ := root(f.X); isDemo(f.X) || c.demo[r] && r != "" {
			c.report(n, "calls the demo simulation: %s", exprString(f))
			return
		}
		if r, _ := root(f.X); c.outside[r] && slices.Contains(mutators, f.Sel.Name) {
			c.report(n, "changes %s", exprString(f))
		}
		if id, ok := f.X.(*ast.Ident); ok && id.Name == recv {
			// A method of the receiver's own type.
			for _, fd := range c.funcs[f.Sel.Name] {
				if fd.Recv != nil && typeName(fd.Recv.List[0].Type) == c.recvType {
					c.push(fd)
				}
			}
			return
		}
		c.push(c.funcs[f.Sel.Name]...)
	}
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.IndexExpr:
		return exprString(e.X) + "[…]"
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.CallExpr:
		return exprString(e.Fun) + "(…)"
	case *ast.ParenExpr:
		return exprString(e.X)
	}
	return "…"
}

// TestViewsOnlyDraw: no View of the wizard, nor anything a View calls,
// changes the model or asks the demo simulation (which takes a lock a
// scenario switch holds while it restarts a listener). What a View needs
// is put in the model by Update.
func TestViewsOnlyDraw(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		files[n] = string(b)
	}
	problems, err := checkViewsPure(files)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s (drawn by a View) %s", p.pos, p.fn, p.what)
	}
}

// The check finds each kind of change, through helpers too.
func TestViewCheckFindsChanges(t *testing.T) {
	src := `package ui
type s struct{ top int; vp vp; c *Common; m map[string]int }
func (x *s) View() string { x.helper(); return "" }
func (x *s) helper() { x.top = 1 }
func (x *s) Other() { x.top = 2 }
type t struct{ vp vp; c *Common }
func (y t) View() string { y.vp.SetContent("a"); y.c.Opts.Demo.Scenario(); d := y.c.Opts.Demo; d.SMTP(); fill(y.c); return "" }
func fill(c *Common) { c.memo["k"] = 1; clear(c.m) }
type u struct{ n int }
func (z *u) View() string { n := z.n; n++; var l []int; l = append(l, n); l[0] = 2; return "" }
`
	problems, err := checkViewsPure(map[string]string{"x.go": src})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.fn+": "+p.what)
	}
	want := []string{
		"s.helper: writes x.top",
		"t.View: changes y.vp.SetContent",
		"t.View: calls the demo simulation: y.c.Opts.Demo.Scenario",
		"t.View: calls the demo simulation: d.SMTP",
		"fill: writes c.memo[…]",
		"fill: clear(c.m)",
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("found:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
