package yamlread

import "go.yaml.in/yaml/v3"

// The block reader's differential tests (block_test.go) live in the
// external test package, which can import the rubric and the corpora;
// these names reach the unexported reader from there.

// BlockParse is blockParse.
var BlockParse = blockParse

// BlockDecoder is blockDecoder, with parse callable from outside.
type BlockDecoder struct{ d blockDecoder }

// Parse is blockDecoder.parse.
func (b *BlockDecoder) Parse(data []byte) (*yaml.Node, bool) { return b.d.parse(data) }
