package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"mfpmail/assets"
	"mfpmail/flow"
	"mfpmail/internal/textwrap"
)

// quietExit ends the program with its status, the output having said
// everything already.
type quietExit int

func (e quietExit) Error() string { return "exit status " + strconv.Itoa(int(e)) }

// errByParts: explain could only explain the text by its parts (exit 1,
// the explanation already printed).
var errByParts error = quietExit(1)

// newExplainCmd is `mfpmail explain`: what a reply or an error code the
// device shows means, and the fix. The text comes from the arguments, or
// from stdin when there are none (or "-").
func newExplainCmd(stdin io.Reader, stdout io.Writer) *cobra.Command {
	var lang string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain [flags] [TEXT]",
		Short: "what a reply or code the device shows means, and the fix (e.g. 5.7.139, AADSTS50105)",
		Annotations: exits("0  recognised: a documented reply or code\n1  explained by its parts only (class and subject)\n" +
			"2  bad usage, or nothing to explain in the text"),
		Args: cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error { return explainWords(args, lang, asJSON, stdin, stdout) },
	}
	cmd.Flags().StringVar(&lang, "lang", "", "language of the explanation: en or ja (default: from LANG)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the explanation as JSON, always the same eight keys: input (the part read), kind, recognised, id, title, cause, fix, source")
	return cmd
}

// explainWords explains the words (or, with none or "-", standard input)
// in the language of langFlag ("" = the locale's).
func explainWords(words []string, langFlag string, asJSON bool, stdin io.Reader, stdout io.Writer) error {
	lang := assets.LangFromEnv(os.Getenv)
	if langFlag != "" {
		l, err := assets.ParseLang(langFlag)
		if err != nil {
			return usageError{err.Error()}
		}
		lang = l
	}
	text := strings.Join(words, " ")
	if text == "" || text == "-" {
		b, err := io.ReadAll(io.LimitReader(stdin, flow.MaxExplainInput))
		if err != nil {
			return fmt.Errorf("reading standard input: %w", err)
		}
		text = string(b)
	}
	if strings.TrimSpace(text) == "" {
		return usagef("explain: give the reply or code as an argument, e.g. mfpmail explain AADSTS50105, or paste it on standard input")
	}
	x, err := flow.Explain(text, lang)
	if errors.Is(err, flow.ErrNothingToExplain) {
		return usagef("explain: %v", err)
	}
	if err != nil {
		return err
	}
	printExplanation(stdout, lang, x, asJSON)
	if !x.Recognised {
		return errByParts
	}
	return nil
}

func printExplanation(w io.Writer, lang assets.Lang, x flow.Explanation, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(x)
		return
	}
	fmt.Fprintf(w, "%s\n%s\n\n%s\n%s\n\n%s\n%s\n\n%s %s\n", x.Title, strings.Repeat("=", min(textwrap.Width(x.Title), 72)),
		assets.T(lang, "explain.cause"), x.Cause, assets.T(lang, "explain.fix"), x.Fix, assets.T(lang, "explain.source"), x.Source)
}
