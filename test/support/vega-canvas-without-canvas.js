// vega-canvas as its node build behaves without the optional `canvas` package (and without a DOM): no canvas, no
// image. Vega then measures text by estimate and renders SVG, exactly as in production, where `canvas` is not
// installed either.
const none = () => null;
module.exports = { canvas: none, domCanvas: none, nodeCanvas: none, image: none };
