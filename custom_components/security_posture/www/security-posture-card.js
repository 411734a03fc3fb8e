/* Security Posture card. Built from frontend/ in the integration's repository (npm run build); Lit: BSD-3-Clause. */
var Jt=Object.defineProperty;var Gt=Object.getOwnPropertyDescriptor;var u=(r,t,e,s)=>{for(var i=s>1?void 0:s?Gt(t,e):t,n=r.length-1,o;n>=0;n--)(o=r[n])&&(i=(s?o(t,e,i):o(i))||i);return s&&i&&Jt(t,e,i),i};var Y=globalThis,J=Y.ShadowRoot&&(Y.ShadyCSS===void 0||Y.ShadyCSS.nativeShadow)&&"adoptedStyleSheets"in Document.prototype&&"replace"in CSSStyleSheet.prototype,st=Symbol(),yt=new WeakMap,L=class{constructor(t,e,s){if(this._$cssResult$=!0,s!==st)throw Error("CSSResult is not constructable. Use `unsafeCSS` or `css` instead.");this.cssText=t,this.t=e}get styleSheet(){let t=this.o,e=this.t;if(J&&t===void 0){let s=e!==void 0&&e.length===1;s&&(t=yt.get(e)),t===void 0&&((this.o=t=new CSSStyleSheet).replaceSync(this.cssText),s&&yt.set(e,t))}return t}toString(){return this.cssText}},vt=r=>new L(typeof r=="string"?r:r+"",void 0,st),R=(r,...t)=>{let e=r.length===1?r[0]:t.reduce((s,i,n)=>s+(o=>{if(o._$cssResult$===!0)return o.cssText;if(typeof o=="number")return o;throw Error("Value passed to 'css' function must be a 'css' function result: "+o+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security.")})(i)+r[n+1],r[0]);return new L(e,r,st)},bt=(r,t)=>{if(J)r.adoptedStyleSheets=t.map(e=>e instanceof CSSStyleSheet?e:e.styleSheet);else for(let e of t){let s=document.createElement("style"),i=Y.litNonce;i!==void 0&&s.setAttribute("nonce",i),s.textContent=e.cssText,r.appendChild(s)}},it=J?r=>r:r=>r instanceof CSSStyleSheet?(t=>{let e="";for(let s of t.cssRules)e+=s.cssText;return vt(e)})(r):r;var{is:Xt,defineProperty:Zt,getOwnPropertyDescriptor:Qt,getOwnPropertyNames:te,getOwnPropertySymbols:ee,getPrototypeOf:se}=Object,G=globalThis,$t=G.trustedTypes,ie=$t?$t.emptyScript:"",re=G.reactiveElementPolyfillSupport,U=(r,t)=>r,F={toAttribute(r,t){switch(t){case Boolean:r=r?ie:null;break;case Object:case Array:r=r==null?r:JSON.stringify(r)}return r},fromAttribute(r,t){let e=r;switch(t){case Boolean:e=r!==null;break;case Number:e=r===null?null:Number(r);break;case Object:case Array:try{e=JSON.parse(r)}catch{e=null}}return e}},X=(r,t)=>!Xt(r,t),xt={attribute:!0,type:String,converter:F,reflect:!1,useDefault:!1,hasChanged:X};Symbol.metadata??=Symbol("metadata"),G.litPropertyMetadata??=new WeakMap;var $=class extends HTMLElement{static addInitializer(t){this._$Ei(),(this.l??=[]).push(t)}static get observedAttributes(){return this.finalize(),this._$Eh&&[...this._$Eh.keys()]}static createProperty(t,e=xt){if(e.state&&(e.attribute=!1),this._$Ei(),this.prototype.hasOwnProperty(t)&&((e=Object.create(e)).wrapped=!0),this.elementProperties.set(t,e),!e.noAccessor){let s=Symbol(),i=this.getPropertyDescriptor(t,s,e);i!==void 0&&Zt(this.prototype,t,i)}}static getPropertyDescriptor(t,e,s){let{get:i,set:n}=Qt(this.prototype,t)??{get(){return this[e]},set(o){this[e]=o}};return{get:i,set(o){let c=i?.call(this);n?.call(this,o),this.requestUpdate(t,c,s)},configurable:!0,enumerable:!0}}static getPropertyOptions(t){return this.elementProperties.get(t)??xt}static _$Ei(){if(this.hasOwnProperty(U("elementProperties")))return;let t=se(this);t.finalize(),t.l!==void 0&&(this.l=[...t.l]),this.elementProperties=new Map(t.elementProperties)}static finalize(){if(this.hasOwnProperty(U("finalized")))return;if(this.finalized=!0,this._$Ei(),this.hasOwnProperty(U("properties"))){let e=this.properties,s=[...te(e),...ee(e)];for(let i of s)this.createProperty(i,e[i])}let t=this[Symbol.metadata];if(t!==null){let e=litPropertyMetadata.get(t);if(e!==void 0)for(let[s,i]of e)this.elementProperties.set(s,i)}this._$Eh=new Map;for(let[e,s]of this.elementProperties){let i=this._$Eu(e,s);i!==void 0&&this._$Eh.set(i,e)}this.elementStyles=this.finalizeStyles(this.styles)}static finalizeStyles(t){let e=[];if(Array.isArray(t)){let s=new Set(t.flat(1/0).reverse());for(let i of s)e.unshift(it(i))}else t!==void 0&&e.push(it(t));return e}static _$Eu(t,e){let s=e.attribute;return s===!1?void 0:typeof s=="string"?s:typeof t=="string"?t.toLowerCase():void 0}constructor(){super(),this._$Ep=void 0,this.isUpdatePending=!1,this.hasUpdated=!1,this._$Em=null,this._$Ev()}_$Ev(){this._$ES=new Promise(t=>this.enableUpdating=t),this._$AL=new Map,this._$E_(),this.requestUpdate(),this.constructor.l?.forEach(t=>t(this))}addController(t){(this._$EO??=new Set).add(t),this.renderRoot!==void 0&&this.isConnected&&t.hostConnected?.()}removeController(t){this._$EO?.delete(t)}_$E_(){let t=new Map,e=this.constructor.elementProperties;for(let s of e.keys())this.hasOwnProperty(s)&&(t.set(s,this[s]),delete this[s]);t.size>0&&(this._$Ep=t)}createRenderRoot(){let t=this.shadowRoot??this.attachShadow(this.constructor.shadowRootOptions);return bt(t,this.constructor.elementStyles),t}connectedCallback(){this.renderRoot??=this.createRenderRoot(),this.enableUpdating(!0),this._$EO?.forEach(t=>t.hostConnected?.())}enableUpdating(t){}disconnectedCallback(){this._$EO?.forEach(t=>t.hostDisconnected?.())}attributeChangedCallback(t,e,s){this._$AK(t,s)}_$ET(t,e){let s=this.constructor.elementProperties.get(t),i=this.constructor._$Eu(t,s);if(i!==void 0&&s.reflect===!0){let n=(s.converter?.toAttribute!==void 0?s.converter:F).toAttribute(e,s.type);this._$Em=t,n==null?this.removeAttribute(i):this.setAttribute(i,n),this._$Em=null}}_$AK(t,e){let s=this.constructor,i=s._$Eh.get(t);if(i!==void 0&&this._$Em!==i){let n=s.getPropertyOptions(i),o=typeof n.converter=="function"?{fromAttribute:n.converter}:n.converter?.fromAttribute!==void 0?n.converter:F;this._$Em=i;let c=o.fromAttribute(e,n.type);this[i]=c??this._$Ej?.get(i)??c,this._$Em=null}}requestUpdate(t,e,s,i=!1,n){if(t!==void 0){let o=this.constructor;if(i===!1&&(n=this[t]),s??=o.getPropertyOptions(t),!((s.hasChanged??X)(n,e)||s.useDefault&&s.reflect&&n===this._$Ej?.get(t)&&!this.hasAttribute(o._$Eu(t,s))))return;this.C(t,e,s)}this.isUpdatePending===!1&&(this._$ES=this._$EP())}C(t,e,{useDefault:s,reflect:i,wrapped:n},o){s&&!(this._$Ej??=new Map).has(t)&&(this._$Ej.set(t,o??e??this[t]),n!==!0||o!==void 0)||(this._$AL.has(t)||(this.hasUpdated||s||(e=void 0),this._$AL.set(t,e)),i===!0&&this._$Em!==t&&(this._$Eq??=new Set).add(t))}async _$EP(){this.isUpdatePending=!0;try{await this._$ES}catch(e){Promise.reject(e)}let t=this.scheduleUpdate();return t!=null&&await t,!this.isUpdatePending}scheduleUpdate(){return this.performUpdate()}performUpdate(){if(!this.isUpdatePending)return;if(!this.hasUpdated){if(this.renderRoot??=this.createRenderRoot(),this._$Ep){for(let[i,n]of this._$Ep)this[i]=n;this._$Ep=void 0}let s=this.constructor.elementProperties;if(s.size>0)for(let[i,n]of s){let{wrapped:o}=n,c=this[i];o!==!0||this._$AL.has(i)||c===void 0||this.C(i,void 0,n,c)}}let t=!1,e=this._$AL;try{t=this.shouldUpdate(e),t?(this.willUpdate(e),this._$EO?.forEach(s=>s.hostUpdate?.()),this.update(e)):this._$EM()}catch(s){throw t=!1,this._$EM(),s}t&&this._$AE(e)}willUpdate(t){}_$AE(t){this._$EO?.forEach(e=>e.hostUpdated?.()),this.hasUpdated||(this.hasUpdated=!0,this.firstUpdated(t)),this.updated(t)}_$EM(){this._$AL=new Map,this.isUpdatePending=!1}get updateComplete(){return this.getUpdateComplete()}getUpdateComplete(){return this._$ES}shouldUpdate(t){return!0}update(t){this._$Eq&&=this._$Eq.forEach(e=>this._$ET(e,this[e])),this._$EM()}updated(t){}firstUpdated(t){}};$.elementStyles=[],$.shadowRootOptions={mode:"open"},$[U("elementProperties")]=new Map,$[U("finalized")]=new Map,re?.({ReactiveElement:$}),(G.reactiveElementVersions??=[]).push("2.1.2");var dt=globalThis,wt=r=>r,Z=dt.trustedTypes,At=Z?Z.createPolicy("lit-html",{createHTML:r=>r}):void 0,Mt="$lit$",A=`lit$${Math.random().toFixed(9).slice(2)}$`,Nt="?"+A,ne=`<${Nt}>`,k=document,I=()=>k.createComment(""),D=r=>r===null||typeof r!="object"&&typeof r!="function",pt=Array.isArray,oe=r=>pt(r)||typeof r?.[Symbol.iterator]=="function",rt=`[ 	
\f\r]`,P=/<(?:(!--|\/[^a-zA-Z])|(\/?[a-zA-Z][^>\s]*)|(\/?$))/g,Et=/-->/g,St=/>/g,S=RegExp(`>|${rt}(?:([^\\s"'>=/]+)(${rt}*=${rt}*(?:[^ 	
\f\r"'\`<>=]|("|')|))|$)`,"g"),Ct=/'/g,kt=/"/g,Ht=/^(?:script|style|textarea|title)$/i,ht=r=>(t,...e)=>({_$litType$:r,strings:t,values:e}),d=ht(1),Ot=ht(2),Ee=ht(3),x=Symbol.for("lit-noChange"),l=Symbol.for("lit-nothing"),Tt=new WeakMap,C=k.createTreeWalker(k,129);function Lt(r,t){if(!pt(r)||!r.hasOwnProperty("raw"))throw Error("invalid template strings array");return At!==void 0?At.createHTML(t):t}var ae=(r,t)=>{let e=r.length-1,s=[],i,n=t===2?"<svg>":t===3?"<math>":"",o=P;for(let c=0;c<e;c++){let a=r[c],h,m,p=-1,_=0;for(;_<a.length&&(o.lastIndex=_,m=o.exec(a),m!==null);)_=o.lastIndex,o===P?m[1]==="!--"?o=Et:m[1]!==void 0?o=St:m[2]!==void 0?(Ht.test(m[2])&&(i=RegExp("</"+m[2],"g")),o=S):m[3]!==void 0&&(o=S):o===S?m[0]===">"?(o=i??P,p=-1):m[1]===void 0?p=-2:(p=o.lastIndex-m[2].length,h=m[1],o=m[3]===void 0?S:m[3]==='"'?kt:Ct):o===kt||o===Ct?o=S:o===Et||o===St?o=P:(o=S,i=void 0);let w=o===S&&r[c+1].startsWith("/>")?" ":"";n+=o===P?a+ne:p>=0?(s.push(h),a.slice(0,p)+Mt+a.slice(p)+A+w):a+A+(p===-2?c:w)}return[Lt(r,n+(r[e]||"<?>")+(t===2?"</svg>":t===3?"</math>":"")),s]},j=class r{constructor({strings:t,_$litType$:e},s){let i;this.parts=[];let n=0,o=0,c=t.length-1,a=this.parts,[h,m]=ae(t,e);if(this.el=r.createElement(h,s),C.currentNode=this.el.content,e===2||e===3){let p=this.el.content.firstChild;p.replaceWith(...p.childNodes)}for(;(i=C.nextNode())!==null&&a.length<c;){if(i.nodeType===1){if(i.hasAttributes())for(let p of i.getAttributeNames())if(p.endsWith(Mt)){let _=m[o++],w=i.getAttribute(p).split(A),K=/([.?@])?(.*)/.exec(_);a.push({type:1,index:n,name:K[2],strings:w,ctor:K[1]==="."?ot:K[1]==="?"?at:K[1]==="@"?ct:N}),i.removeAttribute(p)}else p.startsWith(A)&&(a.push({type:6,index:n}),i.removeAttribute(p));if(Ht.test(i.tagName)){let p=i.textContent.split(A),_=p.length-1;if(_>0){i.textContent=Z?Z.emptyScript:"";for(let w=0;w<_;w++)i.append(p[w],I()),C.nextNode(),a.push({type:2,index:++n});i.append(p[_],I())}}}else if(i.nodeType===8)if(i.data===Nt)a.push({type:2,index:n});else{let p=-1;for(;(p=i.data.indexOf(A,p+1))!==-1;)a.push({type:7,index:n}),p+=A.length-1}n++}}static createElement(t,e){let s=k.createElement("template");return s.innerHTML=t,s}};function M(r,t,e=r,s){if(t===x)return t;let i=s!==void 0?e._$Co?.[s]:e._$Cl,n=D(t)?void 0:t._$litDirective$;return i?.constructor!==n&&(i?._$AO?.(!1),n===void 0?i=void 0:(i=new n(r),i._$AT(r,e,s)),s!==void 0?(e._$Co??=[])[s]=i:e._$Cl=i),i!==void 0&&(t=M(r,i._$AS(r,t.values),i,s)),t}var nt=class{constructor(t,e){this._$AV=[],this._$AN=void 0,this._$AD=t,this._$AM=e}get parentNode(){return this._$AM.parentNode}get _$AU(){return this._$AM._$AU}u(t){let{el:{content:e},parts:s}=this._$AD,i=(t?.creationScope??k).importNode(e,!0);C.currentNode=i;let n=C.nextNode(),o=0,c=0,a=s[0];for(;a!==void 0;){if(o===a.index){let h;a.type===2?h=new z(n,n.nextSibling,this,t):a.type===1?h=new a.ctor(n,a.name,a.strings,this,t):a.type===6&&(h=new lt(n,this,t)),this._$AV.push(h),a=s[++c]}o!==a?.index&&(n=C.nextNode(),o++)}return C.currentNode=k,i}p(t){let e=0;for(let s of this._$AV)s!==void 0&&(s.strings!==void 0?(s._$AI(t,s,e),e+=s.strings.length-2):s._$AI(t[e])),e++}},z=class r{get _$AU(){return this._$AM?._$AU??this._$Cv}constructor(t,e,s,i){this.type=2,this._$AH=l,this._$AN=void 0,this._$AA=t,this._$AB=e,this._$AM=s,this.options=i,this._$Cv=i?.isConnected??!0}get parentNode(){let t=this._$AA.parentNode,e=this._$AM;return e!==void 0&&t?.nodeType===11&&(t=e.parentNode),t}get startNode(){return this._$AA}get endNode(){return this._$AB}_$AI(t,e=this){t=M(this,t,e),D(t)?t===l||t==null||t===""?(this._$AH!==l&&this._$AR(),this._$AH=l):t!==this._$AH&&t!==x&&this._(t):t._$litType$!==void 0?this.$(t):t.nodeType!==void 0?this.T(t):oe(t)?this.k(t):this._(t)}O(t){return this._$AA.parentNode.insertBefore(t,this._$AB)}T(t){this._$AH!==t&&(this._$AR(),this._$AH=this.O(t))}_(t){this._$AH!==l&&D(this._$AH)?this._$AA.nextSibling.data=t:this.T(k.createTextNode(t)),this._$AH=t}$(t){let{values:e,_$litType$:s}=t,i=typeof s=="number"?this._$AC(t):(s.el===void 0&&(s.el=j.createElement(Lt(s.h,s.h[0]),this.options)),s);if(this._$AH?._$AD===i)this._$AH.p(e);else{let n=new nt(i,this),o=n.u(this.options);n.p(e),this.T(o),this._$AH=n}}_$AC(t){let e=Tt.get(t.strings);return e===void 0&&Tt.set(t.strings,e=new j(t)),e}k(t){pt(this._$AH)||(this._$AH=[],this._$AR());let e=this._$AH,s,i=0;for(let n of t)i===e.length?e.push(s=new r(this.O(I()),this.O(I()),this,this.options)):s=e[i],s._$AI(n),i++;i<e.length&&(this._$AR(s&&s._$AB.nextSibling,i),e.length=i)}_$AR(t=this._$AA.nextSibling,e){for(this._$AP?.(!1,!0,e);t!==this._$AB;){let s=wt(t).nextSibling;wt(t).remove(),t=s}}setConnected(t){this._$AM===void 0&&(this._$Cv=t,this._$AP?.(t))}},N=class{get tagName(){return this.element.tagName}get _$AU(){return this._$AM._$AU}constructor(t,e,s,i,n){this.type=1,this._$AH=l,this._$AN=void 0,this.element=t,this.name=e,this._$AM=i,this.options=n,s.length>2||s[0]!==""||s[1]!==""?(this._$AH=Array(s.length-1).fill(new String),this.strings=s):this._$AH=l}_$AI(t,e=this,s,i){let n=this.strings,o=!1;if(n===void 0)t=M(this,t,e,0),o=!D(t)||t!==this._$AH&&t!==x,o&&(this._$AH=t);else{let c=t,a,h;for(t=n[0],a=0;a<n.length-1;a++)h=M(this,c[s+a],e,a),h===x&&(h=this._$AH[a]),o||=!D(h)||h!==this._$AH[a],h===l?t=l:t!==l&&(t+=(h??"")+n[a+1]),this._$AH[a]=h}o&&!i&&this.j(t)}j(t){t===l?this.element.removeAttribute(this.name):this.element.setAttribute(this.name,t??"")}},ot=class extends N{constructor(){super(...arguments),this.type=3}j(t){this.element[this.name]=t===l?void 0:t}},at=class extends N{constructor(){super(...arguments),this.type=4}j(t){this.element.toggleAttribute(this.name,!!t&&t!==l)}},ct=class extends N{constructor(t,e,s,i,n){super(t,e,s,i,n),this.type=5}_$AI(t,e=this){if((t=M(this,t,e,0)??l)===x)return;let s=this._$AH,i=t===l&&s!==l||t.capture!==s.capture||t.once!==s.once||t.passive!==s.passive,n=t!==l&&(s===l||i);i&&this.element.removeEventListener(this.name,this,s),n&&this.element.addEventListener(this.name,this,t),this._$AH=t}handleEvent(t){typeof this._$AH=="function"?this._$AH.call(this.options?.host??this.element,t):this._$AH.handleEvent(t)}},lt=class{constructor(t,e,s){this.element=t,this.type=6,this._$AN=void 0,this._$AM=e,this.options=s}get _$AU(){return this._$AM._$AU}_$AI(t){M(this,t)}};var ce=dt.litHtmlPolyfillSupport;ce?.(j,z),(dt.litHtmlVersions??=[]).push("3.3.3");var Rt=(r,t,e)=>{let s=e?.renderBefore??t,i=s._$litPart$;if(i===void 0){let n=e?.renderBefore??null;s._$litPart$=i=new z(t.insertBefore(I(),n),n,void 0,e??{})}return i._$AI(r),i};var ut=globalThis,y=class extends ${constructor(){super(...arguments),this.renderOptions={host:this},this._$Do=void 0}createRenderRoot(){let t=super.createRenderRoot();return this.renderOptions.renderBefore??=t.firstChild,t}update(t){let e=this.render();this.hasUpdated||(this.renderOptions.isConnected=this.isConnected),super.update(t),this._$Do=Rt(e,this.renderRoot,this.renderOptions)}connectedCallback(){super.connectedCallback(),this._$Do?.setConnected(!0)}disconnectedCallback(){super.disconnectedCallback(),this._$Do?.setConnected(!1)}render(){return x}};y._$litElement$=!0,y.finalized=!0,ut.litElementHydrateSupport?.({LitElement:y});var le=ut.litElementPolyfillSupport;le?.({LitElement:y});(ut.litElementVersions??=[]).push("4.2.2");var H=r=>(t,e)=>{e!==void 0?e.addInitializer(()=>{customElements.define(r,t)}):customElements.define(r,t)};var de={attribute:!0,type:String,converter:F,reflect:!1,hasChanged:X},pe=(r=de,t,e)=>{let{kind:s,metadata:i}=e,n=globalThis.litPropertyMetadata.get(i);if(n===void 0&&globalThis.litPropertyMetadata.set(i,n=new Map),s==="setter"&&((r=Object.create(r)).wrapped=!0),n.set(e.name,r),s==="accessor"){let{name:o}=e;return{set(c){let a=t.get.call(this);t.set.call(this,c),this.requestUpdate(o,a,r,!0,c)},init(c){return c!==void 0&&this.C(o,void 0,r,c),c}}}if(s==="setter"){let{name:o}=e;return function(c){let a=this[o];t.call(this,c),this.requestUpdate(o,a,r,!0,c)}}throw Error("Unsupported decorator location: "+s)};function E(r){return(t,e)=>typeof e=="object"?pe(r,t,e):((s,i,n)=>{let o=i.hasOwnProperty(n);return i.constructor.createProperty(n,s),o?Object.getOwnPropertyDescriptor(i,n):void 0})(r,t,e)}function g(r){return E({...r,state:!0,attribute:!1})}var T=(r,t,e)=>(e.configurable=!0,e.enumerable=!0,Reflect.decorate&&typeof t!="object"&&Object.defineProperty(r,t,e),e);function Q(r,t){return(e,s,i)=>{let n=o=>o.renderRoot?.querySelector(r)??null;if(t){let{get:o,set:c}=typeof s=="object"?e:i??(()=>{let a=Symbol();return{get(){return this[a]},set(h){this[a]=h}}})();return T(e,s,{get(){let a=o.call(this);return a===void 0&&(a=n(this),(a!==null||this.hasUpdated)&&c.call(this,a)),a}})}return T(e,s,{get(){return n(this)}})}}var he=[{name:"title",selector:{text:{}}},{name:"max_findings",selector:{number:{min:1,max:100,mode:"box"}}},{name:"show_families",selector:{boolean:{}}},{name:"show_advice",selector:{boolean:{}}},{name:"show_accepted",selector:{boolean:{}}}],ue={title:"Title",max_findings:"Findings shown before \u201CShow all\u201D",show_families:"Show the families",show_advice:"Show advice (info findings)",show_accepted:"Show accepted risks"},Ut={title:"Security posture",max_findings:8,show_families:!0,show_advice:!0,show_accepted:!0},O=class extends y{setConfig(t){this._config=t}_changed(t){let e={...t.detail.value};for(let[i,n]of Object.entries(Ut))(e[i]===n||e[i]===""||e[i]===void 0)&&delete e[i];let s={type:this._config?.type??"custom:security-posture-card",...e};this.dispatchEvent(new CustomEvent("config-changed",{detail:{config:s},bubbles:!0,composed:!0}))}render(){return!this.hass||!this._config?l:d`<ha-form
      .hass=${this.hass}
      .data=${{...Ut,...this._config}}
      .schema=${he}
      .computeLabel=${t=>ue[t.name]??t.name}
      @value-changed=${this._changed}
    ></ha-form>`}};u([E({attribute:!1})],O.prototype,"hass",2),u([g()],O.prototype,"_config",2),O=u([H("security-posture-card-editor")],O);var Ft={ATTRIBUTE:1,CHILD:2,PROPERTY:3,BOOLEAN_ATTRIBUTE:4,EVENT:5,ELEMENT:6},Pt=r=>(...t)=>({_$litDirective$:r,values:t}),tt=class{constructor(t){}get _$AU(){return this._$AM._$AU}_$AT(t,e,s){this._$Ct=t,this._$AM=e,this._$Ci=s}_$AS(t,e){return this.update(t,e)}update(t,e){return this.render(...e)}};var q=class extends tt{constructor(t){if(super(t),this.it=l,t.type!==Ft.CHILD)throw Error(this.constructor.directiveName+"() can only be used in child bindings")}render(t){if(t===l||t==null)return this._t=void 0,this.it=t;if(t===x)return t;if(typeof t!="string")throw Error(this.constructor.directiveName+"() called with a non-string value");if(t===this.it)return this._t;this.it=t;let e=[t];return e.raw=e,this._t={_$litType$:this.constructor.resultType,strings:e,values:[]}}};q.directiveName="unsafeHTML",q.resultType=1;var It=Pt(q);var me={"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"},Dt=r=>r.replace(/[&<>"']/g,t=>me[t]),ge=r=>{let t=r.trim();return/^https?:\/\//i.test(t)||/^\/(?!\/)/.test(t)?t:null},fe=r=>r.split(/(`[^`]*`)/).map(t=>t.length>1&&t.startsWith("`")&&t.endsWith("`")?`<code>${t.slice(1,-1)}</code>`:t.replace(/\*\*([^*]+)\*\*/g,"<strong>$1</strong>").replace(/\[([^\]]+)\]\(([^)\s]+)\)/g,(e,s,i)=>{let n=ge(i.replace(/&amp;/g,"&"));if(n===null)return e;let o=!n.startsWith("/");return`<a href="${Dt(n)}"${o?' target="_blank" rel="noreferrer noopener"':""}>${s}</a>`})).join(""),jt=r=>r.split(/\n{2,}/).map(t=>`<p>${Dt(t).split(`
`).map(fe).join("<br>")}</p>`).join("");var b="security_posture";var B=["secrets","updates","remote_access","authentication","host","exposure","supply_chain"],zt={critical:4,high:3,medium:2,low:1,info:0},mt=r=>!r.ignored&&r.severity!=="info",qt=r=>!r.ignored&&r.severity==="info",gt=r=>r.ignored&&r.severity!=="info",V=(r,t)=>zt[t.severity]-zt[r.severity]||B.indexOf(r.family)-B.indexOf(t.family)||r.title.localeCompare(t.title),Bt=r=>B.map(t=>{let e=r.findings.filter(s=>s.family===t&&mt(s)).sort(V);return{family:t,counted:e.length,worst:e.length?e[0].severity:null,ran:r.checks.some(s=>s.family===t&&(s.status==="pass"||s.status==="fail"))}}),Vt=(r,t,e)=>{let s=`${t}.${b}_${e}`,i=r.entities;if(!i)return r.states[s]?s:void 0;for(let n of Object.values(i))if(n.platform===b&&n.translation_key===e&&n.entity_id.startsWith(`${t}.`))return n.entity_id;return r.states[s]?s:void 0},Wt=r=>r>=90?"var(--success-color, #43a047)":r>=60?"var(--warning-color, #ffa600)":"var(--error-color, #db4437)",et=r=>{switch(r){case"critical":case"high":return"var(--error-color, #db4437)";case"medium":return"var(--warning-color, #ffa600)";case"low":return"var(--info-color, #039be5)";case"info":return"var(--secondary-text-color, #727272)";default:return"var(--success-color, #43a047)"}},ft=(r,t,e=Date.now())=>{let s=Math.round((new Date(r).getTime()-e)/1e3),i=new Intl.RelativeTimeFormat(t,{numeric:"auto"}),n=[["day",86400],["hour",3600],["minute",60]];for(let[o,c]of n)if(Math.abs(s)>=c)return i.format(Math.round(s/c),o);return i.format(s,"second")};var _e=r=>{window.history.pushState(null,"",r),window.dispatchEvent(new CustomEvent("location-changed",{detail:{replace:!1}}))},v=class extends y{constructor(){super(...arguments);this._data={};this._busy=!1;this._close=async()=>{let e=this._step;this._dialog?.close(),this._step=void 0,e&&(e.type==="form"||e.type==="menu")&&await this.hass?.callApi("DELETE",`repairs/issues/fix/${e.flow_id}`).catch(()=>{})}}async open(e){this._finding=e,this._step=void 0,this._error=void 0,this._data={},await this.updateComplete,this._dialog?.showModal(),this._busy=!0;try{await this.hass?.loadBackendTranslation?.("issues",b);let s=await this.hass.callApi("POST","repairs/issues/fix",{handler:b,issue_id:e.id});this._show(s)}catch(s){this._error=this._message(s)}finally{this._busy=!1}}_show(e){this._step=e,this._data={};for(let s of e.data_schema??[])s.default!==void 0&&s.default!==null&&(this._data[s.name]=String(s.default))}_message(e){if(e&&typeof e=="object"&&"body"in e){let s=e.body;if(s?.message)return s.message}return e instanceof Error?e.message:String(e)}_t(e){let s=this._finding?.check??"",i=this._step?.description_placeholders??{};return this.hass?.localize(`component.${b}.issues.${s}.fix_flow.${e}`,i)??""}async _submit(e){if(!(!this._step||this._busy)){this._busy=!0,this._error=void 0;try{let s=await this.hass.callApi("POST",`repairs/issues/fix/${this._step.flow_id}`,e);this._show(s)}catch(s){this._error=this._message(s)}finally{this._busy=!1}}}_linkClicked(e){let s=e.composedPath().find(i=>i instanceof HTMLAnchorElement);s&&s.getAttribute("href")?.startsWith("/")&&(e.preventDefault(),this._close(),_e(s.getAttribute("href")))}_renderText(e){return e?d`<div class="text" @click=${this._linkClicked}>
          ${It(jt(e))}
        </div>`:l}_renderField(e,s){let i=this._t(`step.${s}.data.${e.name}`)||e.name,n=this._t(`step.${s}.data_description.${e.name}`),o=this._step?.errors?.[e.name];return d`<label class="field">
      <span class="label">${i}</span>
      <input
        name=${e.name}
        .value=${this._data[e.name]??""}
        maxlength=${e.lengthMax??255}
        ?required=${e.required===!0}
        @input=${c=>{this._data={...this._data,[e.name]:c.target.value}}}
      />
      ${n?d`<span class="helper">${n}</span>`:l}
      ${o?d`<span class="error">${this._t(`error.${o}`)||o}</span>`:l}
    </label>`}_renderStep(e){let s=e.step_id??"";switch(e.type){case"menu":{let i=Array.isArray(e.menu_options)?e.menu_options:Object.keys(e.menu_options??{});return d`${this._renderText(this._t(`step.${s}.description`))}
          <div class="menu">
            ${i.map(n=>d`<button
                class="option"
                ?disabled=${this._busy}
                @click=${()=>this._submit({next_step_id:n})}
              >
                <span>${this._t(`step.${s}.menu_options.${n}`)||n}</span>
                <span class="chevron" aria-hidden="true">›</span>
              </button>`)}
          </div>`}case"form":{let i=e.data_schema??[],n={};for(let[c,a]of Object.entries(this._data))(a.trim()!==""||i.find(h=>h.name===c)?.required)&&(n[c]=a);let o=e.errors?.base;return d`${this._renderText(this._t(`step.${s}.description`))}
          <form
            @submit=${c=>{c.preventDefault(),this._submit(n)}}
          >
            ${i.map(c=>this._renderField(c,s))}
            ${o?d`<p class="error">${this._t(`error.${o}`)||o}</p>`:l}
            <div class="actions">
              <button type="button" class="plain" @click=${this._close}>Cancel</button>
              <button type="submit" class="primary" ?disabled=${this._busy}>
                ${this._t(`step.${s}.submit`)||"Submit"}
              </button>
            </div>
          </form>`}case"abort":return d`${this._renderText(this._t(`abort.${e.reason}`)||e.reason||"")}
          <div class="actions">
            <button class="primary" @click=${this._close}>Close</button>
          </div>`;case"create_entry":return d`${this._renderText(this._t(`create_entry.${e.description||"default"}`)||"Done.")}
          <div class="actions">
            <button class="primary" @click=${this._close}>Finish</button>
          </div>`;default:return d`<p>This step cannot be shown here: open it in Settings → Repairs.</p>
          <div class="actions">
            <button class="primary" @click=${this._close}>Close</button>
          </div>`}}_title(){let e=this._step;return e&&(e.type==="form"||e.type==="menu")?this._t(`step.${e.step_id}.title`)||this._finding?.title||"":this._finding?.title??""}render(){return d`<dialog
      @cancel=${e=>{e.preventDefault(),this._close()}}
      aria-labelledby="title"
    >
      <div class="header">
        <h2 id="title">${this._title()}</h2>
        <button class="close" aria-label="Close" @click=${this._close}>✕</button>
      </div>
      ${this._finding&&this._step&&this._step.type!=="abort"?d`<p class="subtitle">${this._finding.title}</p>`:l}
      <div class="body">
        ${this._error?d`<p class="error">${this._error}</p>`:l}
        ${this._step?this._renderStep(this._step):this._busy?d`<p class="loading">Loading…</p>`:l}
        ${!this._step&&this._error?d`<div class="actions">
              <button class="primary" @click=${this._close}>Close</button>
            </div>`:l}
      </div>
    </dialog>`}};v.styles=R`
    dialog {
      box-sizing: border-box;
      width: min(560px, calc(100vw - 24px));
      max-height: calc(100vh - 48px);
      padding: 0;
      border: none;
      border-radius: var(--ha-dialog-border-radius, 24px);
      background: var(--card-background-color, var(--primary-background-color, #fff));
      color: var(--primary-text-color);
      font-family: var(--ha-font-family-body, var(--paper-font-body1_-_font-family, inherit));
      box-shadow: var(--ha-card-box-shadow, 0 8px 24px rgba(0, 0, 0, 0.3));
    }
    dialog::backdrop {
      background: var(--dialog-backdrop-color, rgba(0, 0, 0, 0.32));
    }
    .header {
      display: flex;
      align-items: flex-start;
      gap: 8px;
      padding: 20px 20px 0 24px;
    }
    h2 {
      flex: 1;
      margin: 0;
      font-size: 1.35em;
      font-weight: 500;
      line-height: 1.3;
      overflow-wrap: anywhere;
    }
    .subtitle {
      margin: 4px 24px 0;
      color: var(--secondary-text-color);
      overflow-wrap: anywhere;
    }
    .body {
      padding: 8px 24px 20px;
      overflow-wrap: anywhere;
    }
    .text :is(p) {
      margin: 12px 0;
      line-height: 1.5;
    }
    .text code {
      font-family: var(--ha-font-family-code, monospace);
      font-size: 0.9em;
      background: var(--markdown-code-background-color, rgba(127, 127, 127, 0.15));
      border-radius: 4px;
      padding: 1px 4px;
    }
    a {
      color: var(--primary-color);
    }
    .menu {
      display: flex;
      flex-direction: column;
      margin: 8px -8px 0;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      cursor: default;
      opacity: 0.6;
    }
    .option {
      display: flex;
      align-items: center;
      justify-content: space-between;
      gap: 8px;
      padding: 14px 12px;
      border: none;
      border-radius: 12px;
      background: none;
      color: var(--primary-text-color);
      text-align: start;
    }
    .option:hover,
    .option:focus-visible {
      background: var(--secondary-background-color, rgba(127, 127, 127, 0.12));
    }
    .chevron {
      font-size: 1.4em;
      color: var(--secondary-text-color);
    }
    .close {
      border: none;
      background: none;
      color: var(--secondary-text-color);
      font-size: 1.1em;
      padding: 6px;
      line-height: 1;
    }
    .field {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin: 12px 0;
    }
    .label {
      font-weight: 500;
    }
    input {
      font: inherit;
      padding: 10px 12px;
      border: 1px solid var(--divider-color, #ccc);
      border-radius: 8px;
      background: var(--secondary-background-color, transparent);
      color: var(--primary-text-color);
    }
    input:focus {
      outline: 2px solid var(--primary-color);
      outline-offset: -1px;
    }
    .helper {
      font-size: 0.9em;
      color: var(--secondary-text-color);
    }
    .error {
      color: var(--error-color);
    }
    .actions {
      display: flex;
      justify-content: flex-end;
      flex-wrap: wrap;
      gap: 8px;
      margin-top: 16px;
    }
    .primary,
    .plain {
      padding: 8px 16px;
      border-radius: 20px;
      border: none;
      min-height: 40px;
    }
    .primary {
      background: var(--primary-color);
      color: var(--text-primary-color, #fff);
    }
    .plain {
      background: none;
      color: var(--primary-color);
    }
    .loading {
      color: var(--secondary-text-color);
    }
  `,u([E({attribute:!1})],v.prototype,"hass",2),u([g()],v.prototype,"_finding",2),u([g()],v.prototype,"_step",2),u([g()],v.prototype,"_data",2),u([g()],v.prototype,"_busy",2),u([g()],v.prototype,"_error",2),u([Q("dialog")],v.prototype,"_dialog",2),v=u([H("security-posture-repair-dialog")],v);var W="security-posture-card",_t=r=>r.split(/(?<=[._/])/).map((t,e)=>e?d`<wbr>${t}`:t),ye=8,Kt={secrets:"Secrets",updates:"Updates",remote_access:"Remote access",authentication:"Authentication",host:"Host",exposure:"Exposure",supply_chain:"Supply chain"},ve={secrets:"mdi:key-chain",updates:"mdi:package-up",remote_access:"mdi:web",authentication:"mdi:account-lock",host:"mdi:server-security",exposure:"mdi:door-open",supply_chain:"mdi:package-variant"},Yt={critical:"Critical",high:"High",medium:"Medium",low:"Low",info:"Info"},f=class extends y{constructor(){super(...arguments);this._config={type:`custom:${W}`};this._scanning=!1;this._expanded=!1;this._busy=new Set}static getConfigElement(){return document.createElement(`${W}-editor`)}static getStubConfig(){return{}}setConfig(e){if(!e||typeof e!="object")throw new Error("Invalid configuration");if(e.max_findings!==void 0&&(!Number.isInteger(e.max_findings)||e.max_findings<1))throw new Error("max_findings must be a whole number of at least 1");this._config=e}getCardSize(){return 6+Math.min(this._max,this._counted.length)}getGridOptions(){return{columns:12,min_columns:6,rows:"auto"}}connectedCallback(){super.connectedCallback(),this._subscribe(),this._timer=window.setInterval(()=>this.requestUpdate(),3e4)}disconnectedCallback(){super.disconnectedCallback(),this._unsubscribeNow(),window.clearInterval(this._timer)}updated(e){e.has("hass")&&this._subscribe()}get _admin(){return this.hass?.user?.is_admin===!0}_subscribe(){this._unsubscribe||!this.hass||!this.isConnected||!this._admin||(this._unsubscribe=this.hass.connection.subscribeMessage(e=>{this._message=e,this._subscribeError=void 0},{type:`${b}/subscribe_report`}),this._unsubscribe.catch(e=>{this._subscribeError=e?.message??String(e),this._unsubscribe=void 0}))}_unsubscribeNow(){let e=this._unsubscribe;this._unsubscribe=void 0,e?.then(s=>s()).catch(()=>{})}get _max(){return this._config.max_findings??ye}get _findings(){return this._message?.report?.findings??[]}get _counted(){return this._findings.filter(mt).sort(V)}get _language(){return this.hass?.locale?.language??this.hass?.language??"en"}_state(e,s){let i=this.hass?Vt(this.hass,e,s):void 0;return i?this.hass.states[i]:void 0}async _scan(){if(!(this._scanning||!this.hass)){this._scanning=!0,this._scanError=void 0;try{await this.hass.callService(b,"scan",{})}catch(e){this._scanError=e?.message??String(e)}finally{this._scanning=!1}}}async _stopAccepting(e){this._busy=new Set([...this._busy,e.id]);try{await this.hass.callService(b,"unignore_finding",{finding_id:e.id})}finally{let s=new Set(this._busy);s.delete(e.id),this._busy=s}}_open(e){this._dialog&&(this._dialog.hass=this.hass,this._dialog.open(e))}_renderScore(){let e=this._message?.report,s=this._state("sensor","score"),i=this._state("sensor","grade"),n=e?.score??Number(s?.state),o=e?.grade??i?.state,c=Number.isFinite(n),a=c?Wt(n):"var(--disabled-text-color, #bdbdbd)",h=2*Math.PI*42,m=c?Math.max(0,Math.min(100,n))/100*h:0,p=this._counted.length,_=this._findings.filter(gt).length;return d`<div class="summary">
      <div
        class="ring"
        role="img"
        aria-label=${c?`Score ${n} of 100, grade ${o}`:"No score yet"}
      >
        <svg viewBox="0 0 100 100" aria-hidden="true">
          <circle class="track" cx="50" cy="50" r="42"></circle>
          ${m>0?Ot`<circle
                class="value"
                cx="50"
                cy="50"
                r="42"
                style="stroke: ${a}; stroke-dasharray: ${m} ${h}"
              ></circle>`:l}
        </svg>
        <div class="ring-text">
          <span class="score">${c?n:"\u2013"}</span>
          <span class="points">points</span>
        </div>
      </div>
      <div class="facts">
        <div class="grade-line">
          <span class="grade" style="color: ${a}">${o??"\u2013"}</span>
          <span class="grade-label">grade</span>
        </div>
        ${e?d`<div class="counts">
              <span>${p} ${p===1?"finding":"findings"}</span>
              ${_?d`<span class="muted">· ${_} accepted</span>`:l}
            </div>`:l}
        ${this._renderLastScan()}
      </div>
    </div>`}_renderLastScan(){let e=this._message?.report?.scanned_at??this._state("sensor","last_scan")?.state,s=e&&!Number.isNaN(new Date(e).getTime());return d`<div class="scan">
      <span class="muted" title=${s?new Date(e).toLocaleString(this._language):""}>
        ${this._scanning?"Scanning\u2026":s?`Scanned ${ft(e,this._language)}`:"Not scanned yet"}
      </span>
      ${this._admin?d`<button
            class="scan-button"
            @click=${this._scan}
            ?disabled=${this._scanning}
            aria-busy=${this._scanning?"true":"false"}
          >
            <ha-icon
              class=${this._scanning?"spin":""}
              icon=${this._scanning?"mdi:loading":"mdi:shield-refresh"}
            ></ha-icon>
            <span>${this._scanning?"Scanning":"Scan now"}</span>
          </button>`:l}
      ${this._scanError?d`<span class="error">${this._scanError}</span>`:l}
    </div>`}_renderFamilies(){let e=this._message?.report,s=e?Bt(e):void 0;return d`<div class="families">
      ${B.map(i=>{let n=s?.find(p=>p.family===i),o=this._state("binary_sensor",i),c=n?n.ran:o!==void 0&&o.state!=="unavailable",a=n?n.counted>0:o?.state==="on",h=c?a?et(n?.worst??"high"):et(null):"var(--disabled-text-color, #bdbdbd)",m=c?a?n?`${n.counted}`:"problem":"OK":"not checked";return d`<div class="family" style="--family-color: ${h}">
          <ha-icon icon=${ve[i]}></ha-icon>
          <span class="family-name">${Kt[i]}</span>
          <span class="family-state">${m}</span>
        </div>`})}
    </div>`}_renderFinding(e){return d`<li>
      <button class="finding" @click=${()=>this._open(e)}>
        <span class="pill" style="--pill-color: ${et(e.severity)}">
          ${Yt[e.severity]}
        </span>
        <span class="finding-text">
          <span class="finding-title">${_t(e.title)}</span>
          <span class="finding-family">${Kt[e.family]}</span>
        </span>
        <ha-icon class="next" icon="mdi:chevron-right"></ha-icon>
      </button>
    </li>`}_renderFindings(){let e=this._counted;if(!e.length)return d`<p class="all-clear">
        <ha-icon icon="mdi:shield-check"></ha-icon>
        No findings: nothing to repair.
      </p>`;let s=this._expanded?e:e.slice(0,this._max);return d`<h3>Findings <span class="muted">(${e.length})</span></h3>
      <ul class="list">
        ${s.map(i=>this._renderFinding(i))}
      </ul>
      ${e.length>this._max?d`<button class="more" @click=${()=>this._expanded=!this._expanded}>
            ${this._expanded?"Show fewer":`Show all ${e.length}`}
          </button>`:l}`}_renderAdvice(){let e=this._findings.filter(qt).sort(V);return!e.length||this._config.show_advice===!1?l:d`<details>
      <summary>Advice <span class="muted">(${e.length}, not counted)</span></summary>
      <ul class="list plain-list">
        ${e.map(s=>d`<li class="advice">
            <span>${_t(s.title)}</span>
            ${s.learn_more_url?d`<a href=${s.learn_more_url} target="_blank" rel="noreferrer noopener"
                  >Learn more</a
                >`:l}
          </li>`)}
      </ul>
    </details>`}_renderAccepted(){let e=this._findings.filter(gt).sort(V);if(!e.length||this._config.show_accepted===!1)return l;let s=this._message?.accepted??{};return d`<h3>Accepted risks <span class="muted">(${e.length})</span></h3>
      <ul class="list plain-list">
        ${e.map(i=>{let n=s[i.id],o=n?.at&&!Number.isNaN(new Date(n.at).getTime())?ft(n.at,this._language):void 0;return d`<li class="accepted">
            <span class="finding-text">
              <span class="finding-title">${_t(i.title)}</span>
              <span class="finding-family">
                ${Yt[i.severity]} · accepted${o?` ${o}`:""}${n?.reason?d` · “${n.reason}”`:l}
              </span>
            </span>
            <button
              class="undo"
              ?disabled=${this._busy.has(i.id)}
              @click=${()=>this._stopAccepting(i)}
            >
              Stop accepting
            </button>
          </li>`})}
      </ul>`}_renderBody(){return this.hass?this._admin?this._subscribeError?d`<p class="error note">
        The report cannot be read: ${this._subscribeError}. Is Security Posture set up?
      </p>`:this._message?this._message.report?d`${this._renderFindings()} ${this._renderAdvice()} ${this._renderAccepted()}`:d`<p class="muted note">
        No report yet: Security Posture scans once Home Assistant has started.
      </p>`:d`<p class="muted note">Loading the report…</p>`:d`<p class="muted note">
        Only administrators see the findings and can act on them.
      </p>`:l}render(){let e=this._config.title??"Security posture";return d`<ha-card>
      ${e?d`<h1 class="card-header">${e}</h1>`:l}
      <div class="content">
        ${this._renderScore()}
        ${this._config.show_families===!1?l:this._renderFamilies()}
        ${this._renderBody()}
      </div>
      <security-posture-repair-dialog .hass=${this.hass}></security-posture-repair-dialog>
    </ha-card>`}};f.styles=R`
    :host {
      display: block;
    }
    ha-card {
      overflow: hidden;
    }
    .card-header {
      margin: 0;
      padding: 16px 16px 0;
      font-size: var(--ha-card-header-font-size, 1.5em);
      font-weight: var(--ha-card-header-font-weight, 400);
      color: var(--ha-card-header-color, var(--primary-text-color));
      line-height: 1.3;
    }
    .content {
      padding: 12px 16px 16px;
    }
    .muted {
      color: var(--secondary-text-color);
    }
    .error {
      color: var(--error-color);
    }
    .summary {
      display: flex;
      align-items: center;
      gap: 16px;
      flex-wrap: wrap;
    }
    .ring {
      position: relative;
      width: 96px;
      height: 96px;
      flex: none;
    }
    .ring svg {
      width: 100%;
      height: 100%;
      transform: rotate(-90deg);
    }
    .ring circle {
      fill: none;
      stroke-width: 9;
    }
    .ring .track {
      stroke: var(--divider-color, rgba(127, 127, 127, 0.3));
    }
    .ring .value {
      stroke-linecap: round;
      transition: stroke-dasharray 0.4s;
    }
    .ring-text {
      position: absolute;
      inset: 0;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
    }
    .score {
      font-size: 1.9em;
      font-weight: 500;
      line-height: 1;
    }
    .points {
      font-size: 0.8em;
      color: var(--secondary-text-color);
    }
    .facts {
      display: flex;
      flex-direction: column;
      gap: 4px;
      min-width: 0;
      flex: 1;
    }
    .grade-line {
      display: flex;
      align-items: baseline;
      gap: 6px;
    }
    .grade {
      font-size: 2.2em;
      font-weight: 600;
      line-height: 1;
    }
    .grade-label {
      color: var(--secondary-text-color);
    }
    .scan {
      display: flex;
      align-items: center;
      flex-wrap: wrap;
      gap: 4px 12px;
    }
    button {
      font: inherit;
      cursor: pointer;
    }
    button:disabled {
      cursor: default;
      opacity: 0.7;
    }
    .scan-button,
    .undo,
    .more {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      padding: 6px 14px;
      min-height: 36px;
      border-radius: 18px;
      border: 1px solid var(--divider-color, rgba(127, 127, 127, 0.4));
      background: none;
      color: var(--primary-color);
    }
    .scan-button ha-icon {
      --mdc-icon-size: 20px;
    }
    .spin {
      animation: spin 1s linear infinite;
    }
    @keyframes spin {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spin {
        animation: none;
      }
    }
    .families {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(128px, 1fr));
      gap: 8px;
      margin: 16px 0 4px;
    }
    .family {
      display: grid;
      grid-template-columns: auto 1fr;
      grid-template-rows: auto auto;
      column-gap: 8px;
      align-items: center;
      padding: 8px 10px;
      border-radius: 12px;
      border: 1px solid var(--divider-color, rgba(127, 127, 127, 0.3));
      border-inline-start: 4px solid var(--family-color);
    }
    .family ha-icon {
      grid-row: span 2;
      color: var(--family-color);
    }
    .family-name {
      font-weight: 500;
      overflow-wrap: anywhere;
    }
    .family-state {
      color: var(--secondary-text-color);
      font-size: 0.9em;
    }
    h3 {
      margin: 16px 0 4px;
      font-size: 1.05em;
      font-weight: 500;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .finding {
      display: flex;
      align-items: center;
      gap: 10px;
      width: 100%;
      padding: 10px 4px;
      border: none;
      border-bottom: 1px solid var(--divider-color, rgba(127, 127, 127, 0.2));
      background: none;
      color: var(--primary-text-color);
      text-align: start;
    }
    .finding:hover,
    .finding:focus-visible {
      background: var(--secondary-background-color, rgba(127, 127, 127, 0.08));
    }
    .pill {
      flex: none;
      min-width: 58px;
      padding: 2px 8px;
      border-radius: 10px;
      font-size: 0.8em;
      font-weight: 500;
      text-align: center;
      color: var(--pill-color);
      border: 1px solid var(--pill-color);
    }
    .finding-text {
      display: flex;
      flex-direction: column;
      min-width: 0;
      flex: 1;
    }
    .finding-title {
      overflow-wrap: break-word;
      min-width: 0;
      line-height: 1.35;
    }
    .finding-family {
      font-size: 0.85em;
      color: var(--secondary-text-color);
      overflow-wrap: anywhere;
    }
    .next {
      flex: none;
      color: var(--secondary-text-color);
    }
    .more {
      margin-top: 8px;
    }
    .plain-list li {
      display: flex;
      align-items: center;
      gap: 10px;
      padding: 8px 4px;
      border-bottom: 1px solid var(--divider-color, rgba(127, 127, 127, 0.2));
    }
    .advice span {
      flex: 1;
      overflow-wrap: anywhere;
    }
    .undo {
      flex: none;
    }
    details {
      margin-top: 12px;
    }
    summary {
      cursor: pointer;
      font-weight: 500;
      padding: 4px 0;
    }
    a {
      color: var(--primary-color);
    }
    .all-clear {
      display: flex;
      align-items: center;
      gap: 8px;
      margin: 16px 0 4px;
      color: var(--success-color, #43a047);
    }
    .note {
      margin: 16px 0 0;
    }
  `,u([E({attribute:!1})],f.prototype,"hass",2),u([g()],f.prototype,"_config",2),u([g()],f.prototype,"_message",2),u([g()],f.prototype,"_subscribeError",2),u([g()],f.prototype,"_scanning",2),u([g()],f.prototype,"_scanError",2),u([g()],f.prototype,"_expanded",2),u([g()],f.prototype,"_busy",2),u([Q("security-posture-repair-dialog")],f.prototype,"_dialog",2),f=u([H(W)],f);window.customCards=window.customCards??[];window.customCards.some(r=>r.type===W)||window.customCards.push({type:W,name:"Security posture",description:"Score and grade, the families, findings that open their repair, accepted risks and a scan button.",preview:!0,documentationURL:"https://github.com/security-posture/security-posture"});export{f as SecurityPostureCard};
