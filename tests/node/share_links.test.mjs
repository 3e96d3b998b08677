// Unit tests of site_builder/assets/share_links.js (what Share offers): node --test tests/node/
import {test} from "node:test";
import assert from "node:assert/strict";
import {rangeWords, embedUrl, explorerUrl, iframeSnippet, markdownLink} from "../../site_builder/assets/share_links.js";

test("range words: one line, several lines", () => {
  assert.equal(rangeWords("scalar.py", 141), "scalar.py line 141");
  assert.equal(rangeWords("scalar.py", 141, 141), "scalar.py line 141");
  assert.equal(rangeWords("matrix.py", 5, 10), "matrix.py lines 5\u201310");
});

test("embed url: the view in the query, no fragment, the page's own settings dropped", () => {
  const u = embedUrl("http://h.test/explorer/?font=15&walk=1#scalar-L3",
    {concept: "attention", cols: ["scalar", "matrix"], lines: "scalar-L141-L142~3f2a"});
  assert.equal(u, "http://h.test/explorer/?embed=1&concept=attention&cols=scalar,matrix&lines=scalar-L141-L142~3f2a");
  assert.ok(!u.includes("#"));
  const q = new URL(u).searchParams;
  assert.equal(q.get("lines"), "scalar-L141-L142~3f2a");
  assert.equal(embedUrl("http://h.test/explorer/", {}), "http://h.test/explorer/?embed=1");
  assert.equal(new URL(embedUrl("http://h.test/e/", {note: "note-attention-scores"})).searchParams.get("note"), "note-attention-scores");
});

test("explorer url: a link shared from an embed opens the full explorer, with the reader's display settings", () => {
  assert.equal(explorerUrl("http://h.test/explorer/?embed=1&concept=attention&cols=scalar,matrix&lines=scalar-L3~ab12&theme=dark&controls=1#x"),
    "http://h.test/explorer/?cols=scalar,matrix");
  assert.equal(explorerUrl("http://h.test/explorer/?embed=1&note=note-a&summary=1&at=scalar-L2"), "http://h.test/explorer/");
  assert.equal(explorerUrl("http://h.test/explorer/?font=15#scalar-L3"), "http://h.test/explorer/?font=15");  // not an embed: kept
  assert.equal(explorerUrl("http://h.test/explorer/?concept=x"), "http://h.test/explorer/?concept=x");
});

test("iframe snippet escapes what would break the attribute", () => {
  const s = iframeSnippet('http://h.test/?embed=1&concept=a"><script>', 'Tom & "Jerry" <b>');
  assert.match(s, /^<iframe src="http:\/\/h\.test\/\?embed=1&amp;concept=a&quot;&gt;&lt;script&gt;"/);
  assert.match(s, /title="Tom &amp; &quot;Jerry&quot; &lt;b&gt;"/);
  assert.match(s, /width="800" height="500"/);
  assert.match(iframeSnippet("x", "t", {width: 600, height: 400}), /width="600" height="400"/);
  assert.equal((s.match(/<iframe/g) || []).length, 1);
  assert.ok(s.endsWith("></iframe>"));
});

test("markdown link escapes brackets and parentheses", () => {
  assert.equal(markdownLink("scalar.py line 3", "http://h.test/e/#scalar-L3"), "[scalar.py line 3](http://h.test/e/#scalar-L3)");
  assert.equal(markdownLink("a [b] c", "http://h.test/a (b)"), "[a \\[b\\] c](http://h.test/a%20%28b%29)");
});
