package cli

import (
	"io"

	"github.com/capscore/capscore/internal/schema"
	"github.com/spf13/cobra"
)

func (a *app) newSchemaCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:       "schema rubric|assessment",
		Short:     "Print the JSON Schema of rubric or assessment files, for editors",
		Long:      "Print the JSON Schema of rubric or assessment files. The bundled files name\nthe copies under schemas/ in a yaml-language-server comment.",
		Example:   "  capscore schema assessment > assessment.schema.json",
		Args:      args(cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs)),
		ValidArgs: []string{"rubric", "assessment"},
		RunE: func(cmd *cobra.Command, args []string) error {
			b, err := schema.JSON(args[0])
			if err != nil {
				return err
			}
			return a.withOutput(func(w io.Writer) error {
				_, err := w.Write(b)
				return err
			})
		},
	}
	return writesOnly(takesOutput(cmd), "writes JSON Schema only")
}
