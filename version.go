package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// newVersionCmd is `mfpmail version`, the same line as --version.
func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:                   "version",
		Short:                 "print the version (the same as --version)",
		Annotations:           exits("0  version printed"),
		Args:                  noArgs,
		DisableFlagsInUseLine: true,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(stdout, versionString())
			return nil
		},
	}
}
