package io.jgnet.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportRenderingTest {

    /** Parses {@code xml} strictly (no DTD fetching): a syntax error fails the test. */
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> elements(Document doc, String name) {
        NodeList nodes = doc.getElementsByTagNameNS("*", name);
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }

    static List<Element> bars(Document doc) {
        return elements(doc, "rect").stream().filter(r -> r.getAttribute("class").equals("bar")).toList();
    }

    static double width(Element rect) {
        return Double.parseDouble(rect.getAttribute("width"));
    }

    @Test
    void barsAreProportionalToTheirValuesAndColouredByFamily() throws Exception {
        List<BarChart.Bar> bars = List.of(
                new BarChart.Bar("jgnet-epoll", ServerKind.Family.JGNET, 300, "300"),
                new BarChart.Bar("netty-epoll", ServerKind.Family.NETTY, 100, "100"),
                new BarChart.Bar("netty-io_uring", ServerKind.Family.NETTY, Double.NaN, "unavailable: no"),
                new BarChart.Bar("c-epoll", ServerKind.Family.REFERENCE, 150, "150"));
        Document svg = parse(BarChart.render("echo-64: requests per second", bars, 100));
        List<Element> rects = bars(svg);
        assertThat(rects).hasSize(3);
        assertThat(width(rects.get(0))).isCloseTo(BarChart.BAR_SPAN, within(0.01));
        assertThat(width(rects.get(1))).isCloseTo(BarChart.BAR_SPAN / 3.0, within(0.01));
        assertThat(width(rects.get(2))).isCloseTo(BarChart.BAR_SPAN / 2.0, within(0.01));
        assertThat(rects).extracting(r -> r.getAttribute("fill"))
                .containsExactly(BarChart.JGNET_COLOUR, BarChart.NETTY_COLOUR, BarChart.REFERENCE_COLOUR);
        assertThat(svg.getDocumentElement().getTextContent()).contains("unavailable: no", "Netty's best");
    }

    @Test
    void eachBarIsLabelledWithKindValueAndRatioToNettysBest() throws Exception {
        MatrixResults r = Fixtures.typical();
        List<BarChart.Bar> bars = BarChart.bars(r.summaries(Fixtures.ECHO), Metric.REQUESTS_PER_SECOND, "req/s", 0);
        assertThat(bars).extracting(BarChart.Bar::text).contains(
                "110,000 req/s  \u00b7  1.10\u00d7 Netty best", "unavailable: io_uring: kernel says ENOSYS");
        String text = parse(BarChart.render("t", bars, 100_000)).getDocumentElement().getTextContent();
        assertThat(text).contains("jgnet-epoll", "netty-epoll", "c-epoll", "110,000 req/s");
    }

    @Test
    void textIsEscapedSoNoNameOrReasonCanBreakTheDocument() throws Exception {
        String nasty = "ref<&>\"'kind";
        ServerKind kind = ServerKind.reference(nasty, Set.of("echo"), (p, c) -> List.of());
        MatrixResults r = Fixtures.results(List.of(Fixtures.ECHO), List.of(Fixtures.NETTY_EPOLL, kind), List.of(
                Fixtures.run(Fixtures.ECHO, Fixtures.NETTY_EPOLL, 1, 100_000, 10, 1),
                Run.failed(Fixtures.ECHO.name(), nasty, 1, "</svg><script>alert(1)</script> & more")));
        String html = HtmlReport.render(r, Map.of("command", "--kinds '<x>'"), Map.of("cpu", "A & B <C>"), List.of("a < b"));
        Document doc = parse(html);
        assertThat(elements(doc, "script")).isEmpty();
        assertThat(doc.getDocumentElement().getTextContent()).contains(nasty, "</svg><script>alert(1)</script> & more",
                "A & B <C>", "--kinds '<x>'", "a < b");
        assertThat(Svg.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(Svg.escape("bell\u0007")).isEqualTo("bell?");
    }

    @Test
    void theReportIsOneWellFormedSelfContainedPageWithChartsAndTables() throws Exception {
        MatrixResults r = Fixtures.typical();
        String html = HtmlReport.render(r, Map.of("profile", "short"), Map.of("cpu", "test"), List.of("./jgnet bench"));
        Document doc = parse(html);
        assertThat(html).startsWith("<!DOCTYPE html>");
        // Two charts per request/response workload (req/s and CPU), one for idle.
        assertThat(elements(doc, "svg")).hasSize(2 + 2 + 1);
        assertThat(elements(doc, "table")).hasSizeGreaterThanOrEqualTo(4);
        assertThat(elements(doc, "script")).isEmpty();
        assertThat(elements(doc, "link")).isEmpty();
        assertThat(elements(doc, "img")).isEmpty();
        // Nothing to fetch: the only URL is the SVG namespace, which is a name, not a download.
        assertThat(html).doesNotContain("href=", "src=", "url(", "@import", "https://");
        String text = doc.getDocumentElement().getTextContent();
        assertThat(text).contains("jgnet benchmark matrix", "echo-64", "http-p16", "idle", "Reproduce", "./jgnet bench",
                "unavailable: io_uring: kernel says ENOSYS", "1.10\u00d7");
    }

    @Test
    void theSummaryChartShowsEachJgnetKindsCpuRatioPerWorkloadAndTheIdleMemoryRatio() throws Exception {
        MatrixResults r = Fixtures.typical();
        Document svg = parse(SummaryChart.render(r, "2025-01-01 \u00b7 test machine <2 cores>"));
        Element root = svg.getDocumentElement();
        assertThat(root.getAttribute("width")).isEqualTo(String.valueOf(SummaryChart.WIDTH));
        List<Element> rects = bars(svg);
        // echo: jgnet-nio 11/12, jgnet-epoll 9/12, c-epoll 8/12 in grey; http-p16: jgnet-epoll 0.8 (c-epoll
        // does not serve HTTP, so has no row there); idle: jgnet-epoll 0.4, c-epoll not measured.
        assertThat(rects).hasSize(5);
        double perUnit = width(rects.get(1)) / 0.75;
        assertThat(width(rects.get(0))).isCloseTo(perUnit * 11 / 12, within(0.05));
        assertThat(width(rects.get(2))).isCloseTo(perUnit * 8 / 12, within(0.05));
        assertThat(rects.get(2).getAttribute("fill")).isEqualTo(BarChart.REFERENCE_COLOUR);
        assertThat(rects.get(1).getAttribute("fill")).isNotEqualTo(BarChart.REFERENCE_COLOUR);
        assertThat(width(rects.get(3))).isCloseTo(perUnit * 0.8, within(0.05));
        assertThat(width(rects.get(4))).isCloseTo(perUnit * 0.4, within(0.05));
        assertThat(root.getTextContent()).contains("echo-64", "http-p16", "idle memory", "0.75\u00d7", "Netty's best = 1.0",
                "jgnet-nio: no figure", "c-epoll (reference)", "c-epoll: no figure", "test machine <2 cores>");
    }
}
