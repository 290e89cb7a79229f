// The few scripts the pages run (served from 'self': the CSP forbids inline code). Each is plain
// ES2017 for the browser, kept as text here so the apps stay runnable anywhere Hono runs.

/**
 * Theme: applies the persisted choice before the first paint (loaded in <head>) and wires every
 * [data-theme-toggle] button to flip light/dark and remember it in localStorage.
 */
export const THEME_JS = `(function(){var k='kraite-theme',r=document.documentElement;
try{var t=localStorage.getItem(k);if(t==='dark'||t==='light')r.dataset.theme=t;}catch(e){}
document.addEventListener('DOMContentLoaded',function(){document.querySelectorAll('[data-theme-toggle]').forEach(function(b){b.hidden=false;b.addEventListener('click',function(){
var dark=r.dataset.theme?r.dataset.theme==='dark':matchMedia('(prefers-color-scheme: dark)').matches;r.dataset.theme=dark?'light':'dark';
try{localStorage.setItem(k,r.dataset.theme);}catch(e){}document.dispatchEvent(new Event('kraite:theme'));});});});})();`;

/**
 * Charts: draws every .lwc element with TradingView lightweight-charts from its data attributes.
 * data-kind: candles | line | bars; data-series: [[timeSec, value, colourVar?]] or [[t, o, h, l, c]];
 * data-tone: one colour variable for every bar (else green up, red down); data-extra: [{title, series}]
 * further lines on the same chart; data-lines: [{price, title, kind}]
 * drawn as price lines; data-markers: [{time, text, side}]. The price scale always spans the
 * price lines. After drawing, data-rendered-lines holds how many price lines the chart carries.
 * Server markup: web/assets/chart-markup.ts.
 */
export const CHARTS_JS = `(function(){var L=window.LightweightCharts;if(!L)return;var charts=[];
function css(n){return getComputedStyle(document.documentElement).getPropertyValue(n).trim()||'#888';}
var tone={entry:'--accent',rung:'--muted',breakeven:'--fg',tp:'--up',sl:'--down',guide:'--muted'};var extraTone=['--down','--muted','--up'];
function draw(el){if(el.dataset.drawn)return;el.dataset.drawn='1';var kind=el.dataset.kind||'line';var data=JSON.parse(el.dataset.series||'[]');
var lines=JSON.parse(el.dataset.lines||'[]');var prices=lines.map(function(p){return p.price;});
var fit={autoscaleInfoProvider:function(base){var r=base();if(!r||!prices.length)return r;r.priceRange.minValue=Math.min.apply(null,prices.concat(r.priceRange.minValue));r.priceRange.maxValue=Math.max.apply(null,prices.concat(r.priceRange.maxValue));return r;}};
var chart=L.createChart(el,{autoSize:true,layout:{background:{color:css('--panel')},textColor:css('--fg'),attributionLogo:false},grid:{vertLines:{color:css('--line')},horzLines:{color:css('--line')}},timeScale:{timeVisible:true,borderColor:css('--line')},rightPriceScale:{borderColor:css('--line')}});
var s;if(kind==='candles'){s=chart.addSeries(L.CandlestickSeries,{autoscaleInfoProvider:fit.autoscaleInfoProvider,upColor:css('--up'),downColor:css('--down'),wickUpColor:css('--up'),wickDownColor:css('--down'),borderVisible:false});
s.setData(data.map(function(d){return{time:d[0],open:d[1],high:d[2],low:d[3],close:d[4]};}));}
else if(kind==='bars'){var one=el.dataset.tone;s=chart.addSeries(L.HistogramSeries,{});s.setData(data.map(function(d){return{time:d[0],value:d[1],color:css(one||(d[1]>=0?'--up':'--down'))};}));}
else{s=chart.addSeries(L.LineSeries,{autoscaleInfoProvider:fit.autoscaleInfoProvider,color:css('--accent'),lineWidth:2,pointMarkersVisible:data.length<8});s.setData(data.map(function(d){var o={time:d[0],value:d[1]};if(d[2])o.color=css(d[2]);return o;}));}
JSON.parse(el.dataset.extra||'[]').forEach(function(x,i){var e=chart.addSeries(L.LineSeries,{color:css(extraTone[i%3]),lineWidth:2,title:x.title,pointMarkersVisible:x.series.length<8});e.setData(x.series.map(function(d){return{time:d[0],value:d[1]};}));});
lines.forEach(function(p){var dashed=p.kind==='rung'||p.kind==='guide';s.createPriceLine({price:p.price,title:p.title,color:css(tone[p.kind]||'--muted'),lineWidth:dashed?1:2,lineStyle:dashed?2:0,axisLabelVisible:true});});
el.dataset.renderedLines=String(lines.length);
var markers=JSON.parse(el.dataset.markers||'[]');if(markers.length&&L.createSeriesMarkers)L.createSeriesMarkers(s,markers.map(function(m){return{time:m.time,position:m.side==='BUY'?'belowBar':'aboveBar',shape:m.side==='BUY'?'arrowUp':'arrowDown',color:m.side==='BUY'?css('--up'):css('--down'),text:m.text};}));
chart.timeScale().fitContent();charts.push({el:el,chart:chart});}
function drawAll(){charts=charts.filter(function(c){if(document.body.contains(c.el))return true;c.chart.remove();return false;});document.querySelectorAll('.lwc').forEach(draw);}
window.kraiteCharts=drawAll;document.addEventListener('DOMContentLoaded',drawAll);
document.addEventListener('kraite:theme',function(){charts.forEach(function(c){c.chart.remove();delete c.el.dataset.drawn;c.el.textContent='';});charts=[];drawAll();});})();`;

/**
 * Live updates: with a [data-live-url] element on the page, listens to its Server-Sent Events and,
 * on each `change`, fetches the page again and swaps every [data-live] element (by id) for its
 * fresh copy, then redraws charts. Without JavaScript the page's refresh link does the same by hand.
 */
export const LIVE_JS = `(function(){document.addEventListener('DOMContentLoaded',function(){var root=document.querySelector('[data-live-url]');if(!root||!window.EventSource)return;
var status=document.querySelector('.live-status');var busy=false,again=false;
function swap(){if(busy){again=true;return;}busy=true;fetch(location.href,{credentials:'same-origin',headers:{'X-Kraite-Live':'1'}}).then(function(r){return r.ok?r.text():null;}).then(function(t){
if(t){var doc=new DOMParser().parseFromString(t,'text/html');document.querySelectorAll('[data-live]').forEach(function(el){var f=el.id&&doc.getElementById(el.id);if(f)el.replaceWith(document.importNode(f,true));});
if(window.kraiteCharts)window.kraiteCharts();document.dispatchEvent(new Event('kraite:live'));if(status)status.textContent='live · updated '+new Date().toLocaleTimeString();}}).catch(function(){}).then(function(){busy=false;if(again){again=false;swap();}});}
var es=new EventSource(root.dataset.liveUrl);es.addEventListener('change',swap);es.addEventListener('open',function(){if(status)status.textContent='live';});es.addEventListener('error',function(){if(status)status.textContent='reconnecting…';});});})();`;

/**
 * Form preview: a form with data-preview-url sends its fields (never the CSRF token) there as a
 * query string a moment after each edit and swaps #preview for the answer. The form's own Preview
 * button does the same without JavaScript.
 */
export const PREVIEW_JS = `(function(){document.addEventListener('DOMContentLoaded',function(){document.querySelectorAll('form[data-preview-url]').forEach(function(form){var timer=null;
form.addEventListener('input',function(){clearTimeout(timer);timer=setTimeout(function(){var q=new URLSearchParams();new FormData(form).forEach(function(v,k){if(k!=='_csrf'&&k!=='intent')q.append(k,String(v));});
fetch(form.dataset.previewUrl+'?'+q.toString(),{credentials:'same-origin'}).then(function(r){return r.ok?r.text():null;}).then(function(t){var old=document.getElementById('preview');if(!t||!old)return;
var doc=new DOMParser().parseFromString(t,'text/html');var fresh=doc.getElementById('preview');if(fresh)old.replaceWith(document.importNode(fresh,true));}).catch(function(){});},250);});});});})();`;
