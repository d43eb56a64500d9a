package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// newHelpCmd is `mfpmail help [COMMAND]`: the same text as COMMAND --help.
func newHelpCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:                   "help [COMMAND]",
		Short:                 "this overview, or one command's flags and exit statuses",
		Annotations:           exits("0  help shown\n2  no such command"),
		DisableFlagsInUseLine: true,
		ValidArgsFunction: func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []string
			for _, c := range cmd.Root().Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name()+"\t"+c.Short)
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			if len(args) > 1 {
				return usagef("help takes one command, got %q", strings.Join(args, " "))
			}
			if len(args) == 0 {
				printHelp(root, nil)
				return nil
			}
			target, _, err := root.Find(args)
			if err != nil || target == root {
				return unknownCommand(root, args[0])
			}
			printHelp(target, nil)
			return nil
		},
	}
}

// printHelp writes a command's help on its stdout: usage, what it does,
// its flags (--name, as the README writes them) and exit statuses; the
// root's (the overview) also lists every command.
func printHelp(cmd *cobra.Command, _ []string) {
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s\n\nUsage: %s\n  %s\n", versionString(), cmd.UseLine(), cmd.Short)
	if cmd.Long != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(cmd.Long, "\n"))
	}
	if !cmd.HasParent() {
		printCommands(w, cmd)
	}
	if fl := cmd.NonInheritedFlags(); fl.HasAvailableFlags() {
		fmt.Fprintf(w, "\nFlags:\n%s", fl.FlagUsages())
	}
	if ex := cmd.Annotations["exits"]; ex != "" {
		fmt.Fprintf(w, "\nExit status:\n")
		for _, l := range strings.Split(ex, "\n") {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
}

// printCommands lists the commands under the root, for the overview.
func printCommands(w io.Writer, root *cobra.Command) {
	var cmds []*cobra.Command
	width := 0
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() || c.Name() == "help" {
			cmds = append(cmds, c)
			width = max(width, len(c.UseLine()))
		}
	}
	fmt.Fprintf(w, "\nCommands:\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-*s  %s\n", width, c.UseLine(), c.Short)
	}
	fmt.Fprintf(w, "Run \"mfpmail help COMMAND\" or \"mfpmail COMMAND --help\" for its flags.\n")
}
